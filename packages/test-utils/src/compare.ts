/**
 * Vitest assertions over `@rnnkit/testing`'s error measure (`compareValues`): the one way the
 * workspace's tests compare numbers. Its own file: the only helpers here that need Vitest.
 */
import { compareValues, finiteScale } from '@rnnkit/testing';
import { expect } from 'vitest';

/** Bounds of {@link expectWithin}. */
export interface Closeness {
  /** Allowed error relative to the scale. Default 0. */
  rtol?: number;
  /** Allowed absolute error, added to the relative part. Default 0. */
  atol?: number;
  /**
   * Lower bound of the scale, which is otherwise the largest finite `|expected|`. Default 0;
   * 1 makes `rtol` an absolute bound for tensors of small values.
   */
  minScale?: number;
}

/**
 * Asserts `actual` equals `expected` element-wise: finite expected values within
 * `atol + rtol * max(minScale, max finite |expected|)`, NaN where NaN is expected and
 * infinities exactly. Fails naming the worst element.
 */
export function expectWithin(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { rtol = 0, atol = 0, minScale = 0 }: Closeness = {},
  label = 'tensor',
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  const c = compareValues(actual, expected, finiteScale(expected, minScale));
  const bound = atol + rtol * c.scale;
  if (!(c.maxAbsError <= bound)) {
    expect.fail(
      `${label}[${c.worstIndex}]: got ${c.actualAtWorst}, expected ${c.expectedAtWorst} ` +
        `(error ${c.maxAbsError}, allowed ${bound})`,
    );
  }
}

/**
 * Asserts `actual` equals `expected` element-wise within `tolerance` relative to the larger of 1
 * and the expected tensor's largest finite magnitude (see {@link expectWithin}).
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  label = 'tensor',
): void {
  expectWithin(actual, expected, { rtol: tolerance, minScale: 1 }, label);
}
