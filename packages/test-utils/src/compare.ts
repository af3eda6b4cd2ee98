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
 * infinities exactly. Fails naming the first offending index.
 */
export function expectWithin(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { rtol = 0, atol = 0, minScale = 0 }: Closeness = {},
  label = 'tensor',
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let scale = minScale;
  for (let i = 0; i < expected.length; i++) {
    if (Number.isFinite(expected[i])) scale = Math.max(scale, Math.abs(expected[i]));
  }
  const bound = atol + rtol * scale;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e))) {
        expect.fail(`${label}[${i}]: got ${a}, expected ${e}`);
      }
      continue;
    }
    const error = Math.abs(a - e);
    if (!(error <= bound)) {
      expect.fail(`${label}[${i}]: got ${a}, expected ${e} (error ${error}, allowed ${bound})`);
    }
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
