/**
 * What nn's tests share: the cpu backend made active, tensors from fixture data, deterministic
 * values, the tensor comparison (test-utils' `expectClose` over shapes) and a leak check.
 */
import '@rnnkit/backend-cpu';
import { type DType, memory, setBackend, type Tensor, tensor } from '@rnnkit/core';
import { expectClose as expectValuesClose } from '@rnnkit/test-utils';
import { beforeAll, expect } from 'vitest';
import { GRU } from '../src/layers/gru.js';
import { LSTM } from '../src/layers/lstm.js';
import type { RecurrentLayer, RecurrentLayerOptions } from '../src/layers/recurrent.js';
import { SimpleRNN } from '../src/layers/simple_rnn.js';
import type { NestedNumbers } from '../src/state_dict.js';

/** Makes the cpu backend active before the file's tests. */
export function useCpu(): void {
  beforeAll(async () => {
    await setBackend('cpu');
  });
}

/** A tensor from a fixture's `{shape, data}` (row-major values). */
export function fromFixture(
  value: { shape: readonly number[]; data: ArrayLike<number> },
  dtype: DType = 'float64',
): Tensor {
  return tensor(Array.from(value.data), [...value.shape], dtype);
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

/**
 * Expects `actual` to have the shape of `expected` and its values (flat, or nested like the
 * shape) within `tol` relative to max(1, the expected scale).
 */
export function expectClose(
  actual: Tensor,
  expected: { shape: readonly number[]; data: ArrayLike<number> | NestedNumbers } | Tensor,
  tol: number,
  label = '',
): void {
  const data = 'dataSync' in expected ? expected.dataSync() : expected.data;
  const values: ArrayLike<number> =
    typeof data === 'number'
      ? [data]
      : Array.isArray(data)
        ? (data.flat(Infinity) as number[])
        : (data as ArrayLike<number>);
  expect([...actual.shape], `${label} shape`).toEqual([...expected.shape]);
  expectValuesClose(actual.dataSync(), values, tol, label);
}

/** Runs `fn` twice (warm-up, then measured) and expects the live tensor count unchanged. */
export function expectNoLeak(fn: () => void): void {
  fn();
  const before = memory().numTensors;
  fn();
  expect(memory().numTensors).toBe(before);
}

/** The recurrent layer classes, by name, for tests that run on every cell. */
export const RECURRENT_CELLS: [string, new (o: RecurrentLayerOptions) => RecurrentLayer][] = [
  ['SimpleRNN', SimpleRNN],
  ['LSTM', LSTM],
  ['GRU', GRU],
];
