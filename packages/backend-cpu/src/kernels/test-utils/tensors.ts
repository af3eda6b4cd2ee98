import type { DType, Shape, TensorInfo } from '@rnnkit/core';
import { typedArrayFor } from '@rnnkit/core';
import { expect } from 'vitest';
import type { CpuBackend } from '../../backend.js';

/** Writes `values` to `backend` and describes the result as a kernel input. */
export function put(
  backend: CpuBackend,
  values: ArrayLike<number>,
  shape: Shape,
  dtype: DType = 'float64',
): TensorInfo {
  const array = typedArrayFor(dtype, values.length);
  array.set(values);
  return { dataId: backend.write(array, shape, dtype), shape, dtype };
}

/** Reads a kernel output back as a plain array. */
export function get(backend: CpuBackend, info: TensorInfo): number[] {
  return Array.from(backend.readSync(info.dataId));
}

/**
 * Asserts `actual` equals `expected` element-wise within `tolerance` relative to the larger of 1
 * and the expected tensor's largest magnitude, naming the first offending index.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  label = 'tensor',
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    if (!(error <= tolerance * scale)) {
      expect.fail(
        `${label}[${i}]: got ${actual[i]}, expected ${expected[i]} (error ${error}, allowed ${tolerance * scale})`,
      );
    }
  }
}
