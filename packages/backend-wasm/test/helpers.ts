/**
 * What the wasm backend's own tests share: one wasm backend per file and random host tensors.
 * Its kernels are compared with the cpu reference in @rnnkit/conformance.
 */
import type { Backend, Shape, TensorInfo } from '@rnnkit/core';
import { sizeOf } from '@rnnkit/core';
import { type HostTensor, put, uniform } from '@rnnkit/test-utils';
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

/** Uploads a host tensor to `backend`. */
export function upload(backend: Backend, t: HostTensor): TensorInfo {
  return put(backend, t.values, [...t.shape], t.dtype);
}
