/**
 * What the wasm backend's own tests share: one wasm backend per file, random host tensors and
 * their comparison. Its kernels are compared with the cpu reference in @rnnkit/conformance.
 */
import type { Backend, Shape, TensorInfo } from '@rnnkit/core';
import { sizeOf } from '@rnnkit/core';
import { expectWithin, type HostTensor, integers, put, uniform } from '@rnnkit/test-utils';
import { expect } from 'vitest';
import { createWasmBackend, type WasmBackend } from '../src/index.js';

let shared: Promise<WasmBackend> | undefined;

/** The wasm backend of this test file. */
export function wasmBackend(): Promise<WasmBackend> {
  shared ??= createWasmBackend();
  return shared;
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
