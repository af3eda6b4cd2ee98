/**
 * What the gpujs backend's tests share: one GL backend per file, the cpu reference, and kernel
 * runs compared with cpu.
 */
import { CpuBackend } from '@rnnkit/backend-cpu';
import type { KernelAttrs, KernelName } from '@rnnkit/core';
import { Random } from '@rnnkit/core';
import { expectClose, type HostInputs, runKernel } from '@rnnkit/test-utils';
import { expect } from 'vitest';
import { createGpujsBackend, type GpujsBackend } from '../src/index.js';

export { sizeOf as size } from '@rnnkit/core';
export type { HostInput, HostInputs } from '@rnnkit/test-utils';
export { expectClose, get, integers, put, runKernel, uniform } from '@rnnkit/test-utils';

let shared: Promise<GpujsBackend> | undefined;

/**
 * The gpu.js backend of this test file (one GL context and one kernel cache per file). Fails —
 * never skips — when no GL context can be made: the tests must run under `xvfb-run -a`.
 */
export function gpuBackend(): Promise<GpujsBackend> {
  shared ??= createGpujsBackend({ allowFallback: false });
  return shared;
}

/** The reference backend. */
export const cpu = new CpuBackend();

/**
 * Runs a kernel on the gpu.js and cpu backends and compares every output: same shapes and
 * dtypes, values within `tolerance` (see {@link expectClose}); int32 outputs must be equal.
 */
export async function compareWithCpu<K extends KernelName>(
  name: K,
  inputs: HostInputs,
  attrs: KernelAttrs<K>,
  tolerance: number,
  skip: readonly string[] = [],
): Promise<void> {
  const gpu = await gpuBackend();
  const expected = runKernel(cpu, name, inputs, attrs);
  const actual = runKernel(gpu, name, inputs, attrs);
  for (const [key, e] of Object.entries(expected)) {
    if (skip.includes(key)) continue;
    const a = actual[key];
    expect(a, `${name}: output '${key}'`).toBeDefined();
    expect(a.shape, `${name}.${key} shape`).toEqual(e.shape);
    expect(a.dtype, `${name}.${key} dtype`).toBe(e.dtype);
    if (e.dtype === 'int32') expect(a.values, `${name}.${key}`).toEqual(e.values);
    else expectClose(a.values, e.values, tolerance, `${name}.${key}`);
  }
}

/** A seeded stream. */
export function rng(seed: number): Random {
  return new Random(seed);
}
