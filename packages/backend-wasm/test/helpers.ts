/**
 * What the wasm backend's own tests share: one wasm backend per file and random host tensors.
 * Its kernels are compared with the cpu reference in @rnnkit/conformance.
 */
import type { Backend, Shape, TensorInfo } from '@rnnkit/core';
import { sizeOf } from '@rnnkit/core';
import { type HostTensor, put, uniform } from '@rnnkit/test-utils';
import { afterAll } from 'vitest';
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

/**
 * A one-thread and a three-thread backend for the calling `describe` block (disposed after it):
 * results that must not depend on the thread count are compared across the two.
 */
export async function singleAndMulti(): Promise<{ single: WasmBackend; multi: WasmBackend }> {
  const single = await createWasmBackend({ threads: 0 });
  const multi = await createWasmBackend({ threads: 2 });
  afterAll(() => {
    single.dispose();
    multi.dispose();
  });
  return { single, multi };
}

/** Lengths of B sequences of at most T steps: one full, one empty, the others spread by `stride`. */
export function spreadLengths(B: number, T: number, stride: number): number[] {
  return Array.from({ length: B }, (_, b) => (b === 0 ? T : b === 1 ? 0 : 1 + ((b * stride) % T)));
}

/** Whether two typed arrays hold the same bytes (NaN payloads and signed zeros included). */
export function sameBits(a: ArrayBufferView, b: ArrayBufferView): boolean {
  const bytes = (t: ArrayBufferView) => Buffer.from(t.buffer, t.byteOffset, t.byteLength);
  return bytes(a).equals(bytes(b));
}
