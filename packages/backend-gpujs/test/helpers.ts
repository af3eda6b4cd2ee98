import { CpuBackend } from '@rnnkit/backend-cpu';
import type { Backend, DType, KernelName, Shape, TensorInfo } from '@rnnkit/core';
import { Random, typedArrayFor } from '@rnnkit/core';
import { expect } from 'vitest';
import { createGpujsBackend, type GpujsBackend } from '../src/index.js';

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

/** Writes `values` to `backend` as a kernel input. */
export function put(
  backend: Backend,
  values: ArrayLike<number>,
  shape: Shape,
  dtype: DType = 'float32',
): TensorInfo {
  const array = typedArrayFor(dtype, values.length);
  array.set(Array.from(values));
  return { dataId: backend.write(array, shape, dtype), shape, dtype };
}

/** Reads a kernel output as a plain array. */
export function get(backend: Backend, info: TensorInfo): number[] {
  return Array.from(backend.readSync(info.dataId));
}

/** Uniform values in `[low, high)` from a seeded stream. */
export function uniform(rng: Random, n: number, low = -1, high = 1): number[] {
  return Array.from({ length: n }, () => low + (high - low) * rng.next());
}

/** Integers in `[low, high)`. */
export function integers(rng: Random, n: number, low: number, high: number): number[] {
  return Array.from({ length: n }, () => low + Math.floor((high - low) * rng.next()));
}

/**
 * Asserts `actual` equals `expected` element-wise within `tolerance` relative to the larger of 1
 * and the expected tensor's largest finite magnitude; NaN must match NaN and infinities must
 * match exactly.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  label = 'tensor',
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    if (Number.isFinite(expected[i])) scale = Math.max(scale, Math.abs(expected[i]));
  }
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e))) {
        expect.fail(`${label}[${i}]: got ${a}, expected ${e}`);
      }
      continue;
    }
    const error = Math.abs(a - e);
    if (!(error <= tolerance * scale)) {
      expect.fail(
        `${label}[${i}]: got ${a}, expected ${e} (error ${error}, allowed ${tolerance * scale})`,
      );
    }
  }
}

/** A kernel input described on the host, written to each backend before the call. */
export interface HostTensor {
  values: ArrayLike<number>;
  shape: Shape;
  dtype?: DType;
}

type HostInputs = Record<string, HostTensor | HostTensor[] | undefined>;

function writeInputs(backend: Backend, inputs: HostInputs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(inputs)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value)
      ? value.map((v) => put(backend, v.values, v.shape, v.dtype))
      : put(backend, value.values, value.shape, value.dtype);
  }
  return out;
}

/** Runs kernel `name` on a backend with host inputs and returns its outputs read back. */
export function runKernel(
  backend: Backend,
  name: KernelName,
  inputs: HostInputs,
  attrs: unknown,
): Record<string, { values: number[]; shape: Shape; dtype: DType }> {
  const kernel = (
    backend.kernels as unknown as Record<string, (i: unknown, a: unknown, b: Backend) => unknown>
  )[name];
  const outputs = kernel(writeInputs(backend, inputs), attrs, backend) as Record<
    string,
    TensorInfo | undefined
  >;
  const read: Record<string, { values: number[]; shape: Shape; dtype: DType }> = {};
  for (const [key, info] of Object.entries(outputs)) {
    if (!info) continue;
    read[key] = { values: get(backend, info), shape: info.shape, dtype: info.dtype };
  }
  return read;
}

/**
 * Runs a kernel on the gpu.js and cpu backends and compares every output: same shapes and
 * dtypes, values within `tolerance` (see {@link expectClose}); int32 outputs must be equal.
 */
export async function compareWithCpu(
  name: KernelName,
  inputs: HostInputs,
  attrs: unknown,
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

/** Size of a shape. */
export function size(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A seeded stream. */
export function rng(seed: number): Random {
  return new Random(seed);
}
