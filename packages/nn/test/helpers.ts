import '@rnnkit/backend-cpu';
import { type DType, memory, setBackend, type Tensor, tensor } from '@rnnkit/core';
import { beforeAll, expect } from 'vitest';

/** Makes the cpu backend active before the file's tests. */
export function useCpu(): void {
  beforeAll(async () => {
    await setBackend('cpu');
  });
}

/** Nested numbers, as fixtures store them. */
export type Nested = number | Nested[];

/** Flattens nested arrays. */
export function flat(data: Nested): number[] {
  return Array.isArray(data) ? data.flatMap(flat) : [data];
}

/** A tensor from a fixture's `{shape, data}`. */
export function fromFixture(
  value: { shape: number[]; data: Nested },
  dtype: DType = 'float64',
): Tensor {
  return tensor(flat(value.data), value.shape, dtype);
}

/** Deterministic pseudo-random values (no dependence on the library's own generator). */
export function pseudo(n: number, seed = 1, scale = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * scale;
  });
}

/** A float tensor of `shape` with deterministic values. */
export function randomTensor(shape: number[], seed = 1, dtype: DType = 'float64'): Tensor {
  return tensor(
    pseudo(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
    dtype,
  );
}

/** The largest absolute difference, relative to max(1, the expected scale). */
export function relError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let err = 0;
  for (let i = 0; i < expected.length; i++) err = Math.max(err, Math.abs(actual[i] - expected[i]));
  return err / scale;
}

/** Expects `actual` to have `shape` and to match `expected` within `tol` relative to scale. */
export function expectClose(
  actual: Tensor,
  expected: { shape: readonly number[]; data: Nested | ArrayLike<number> } | Tensor,
  tol: number,
  label = '',
): void {
  const exp =
    'dataSync' in expected
      ? { shape: [...expected.shape], values: Array.from(expected.dataSync()) }
      : {
          shape: [...expected.shape],
          values:
            Array.isArray(expected.data) || typeof expected.data === 'number'
              ? flat(expected.data as Nested)
              : Array.from(expected.data as ArrayLike<number>),
        };
  expect([...actual.shape], `${label} shape`).toEqual(exp.shape);
  const err = relError(actual.dataSync(), exp.values);
  expect(err, `${label} relative error ${err}`).toBeLessThanOrEqual(tol);
}

/** Runs `fn` twice (warm-up, then measured) and expects the live tensor count unchanged. */
export function expectNoLeak(fn: () => void): void {
  fn();
  const before = memory().numTensors;
  fn();
  expect(memory().numTensors).toBe(before);
}
