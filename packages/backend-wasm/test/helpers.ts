/**
 * What the wasm backend's own tests share: one wasm and one cpu backend per file, random host
 * tensors, and kernel runs compared with cpu.
 */
import { CpuBackend } from '@rnnkit/backend-cpu';
import type { Backend, KernelAttrs, KernelName, Shape, TensorInfo } from '@rnnkit/core';
import { sizeOf } from '@rnnkit/core';
import {
  expectWithin,
  type HostInputs,
  type HostTensor,
  integers,
  put,
  runKernel,
  uniform,
} from '@rnnkit/test-utils';
import { expect } from 'vitest';
import { createWasmBackend, type WasmBackend } from '../src/index.js';

let pair: Promise<{ cpu: CpuBackend; wasm: WasmBackend }> | undefined;

/** One cpu reference backend and one wasm backend, shared by a test file. */
export function backends(): Promise<{ cpu: CpuBackend; wasm: WasmBackend }> {
  pair ??= createWasmBackend().then((wasm) => ({ cpu: new CpuBackend(), wasm }));
  return pair;
}

export type { HostTensor } from '@rnnkit/test-utils';
/** Deterministic PRNG (mulberry32). */
export { mulberry32 as rng, runKernel } from '@rnnkit/test-utils';

/** Uniform float32 values in [lo, hi). */
export function randomF32(shape: Shape, random: () => number, lo = -1, hi = 1): HostTensor {
  const values = Float32Array.from(uniform(random, sizeOf(shape), lo, hi));
  return { values, shape, dtype: 'float32' };
}

/** Uniform int32 values in [lo, hi). */
export function randomI32(shape: Shape, random: () => number, lo: number, hi: number): HostTensor {
  const values = Int32Array.from(integers(random, sizeOf(shape), lo, hi));
  return { values, shape, dtype: 'int32' };
}

/** Uploads a host tensor to `backend`. */
export function upload(backend: Backend, t: HostTensor): TensorInfo {
  return put(backend, t.values, [...t.shape], t.dtype);
}

/** Tolerance: |a - e| <= atol + rtol * max|e| over the tensor (scale-relative). */
export interface Tolerance {
  rtol?: number;
  atol?: number;
}

/** Asserts two host tensors agree in shape, dtype and values (NaN matches NaN). */
export function expectClose(
  actual: HostTensor,
  expected: HostTensor,
  { rtol = 0, atol = 0 }: Tolerance = {},
  context = '',
): void {
  expect(actual.shape, `${context} shape`).toEqual(expected.shape);
  expect(actual.dtype, `${context} dtype`).toBe(expected.dtype);
  expectWithin(actual.values, expected.values, { rtol, atol }, context);
}

/** Runs a kernel on both backends and compares every output. */
export async function compareKernel<K extends KernelName>(
  name: K,
  inputs: HostInputs,
  attrs: KernelAttrs<K>,
  tolerance: Tolerance = {},
  context = '',
): Promise<void> {
  const { cpu, wasm } = await backends();
  const expected = runKernel(cpu, name, inputs, attrs);
  const actual = runKernel(wasm, name, inputs, attrs);
  expect(Object.keys(actual).sort(), `${name} outputs`).toEqual(Object.keys(expected).sort());
  for (const key of Object.keys(expected)) {
    expectClose(actual[key], expected[key], tolerance, `${name}${context} ${key}`);
  }
}
