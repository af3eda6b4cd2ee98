/**
 * The error measure every comparison of rnnkit uses: `compareValues` (scale, NaN and infinity
 * rules), `checkTensor` (shapes, failure message), `formatError` and compensated summation.
 */
import { describe, expect, it } from 'vitest';
import { accurateSum, checkTensor, compareValues, finiteScale, formatError } from '../src/index.js';

describe('finiteScale', () => {
  it('is the largest finite magnitude, at least the floor', () => {
    expect(finiteScale([0.5, -3, Number.POSITIVE_INFINITY, Number.NaN])).toBe(3);
    expect(finiteScale([0.5, -0.25])).toBe(1);
    expect(finiteScale([0.5, -0.25], 0)).toBe(0.5);
    expect(finiteScale([], 0)).toBe(0);
  });
});

describe('compareValues', () => {
  it('divides the largest absolute error by max(1, max|expected|)', () => {
    expect(compareValues([1, 2, 3.5], [1, 2, 3]).error).toBeCloseTo(0.5 / 3, 15);
    expect(compareValues([0.1, 0.2], [0.1, 0.25]).error).toBeCloseTo(0.05, 15);
    const c = compareValues([1, 5, 3], [1, 2, 3]);
    expect(c.worstIndex).toBe(1);
    expect(c.actualAtWorst).toBe(5);
    expect(c.expectedAtWorst).toBe(2);
  });
  it('treats matching NaNs and infinities as equal and any other non-finite mismatch as infinite', () => {
    expect(
      compareValues([Number.NaN, Infinity, -Infinity], [Number.NaN, Infinity, -Infinity]).error,
    ).toBe(0);
    expect(compareValues([Number.NaN], [0]).error).toBe(Infinity);
    expect(compareValues([0], [Number.NaN]).error).toBe(Infinity);
    expect(compareValues([Infinity], [-Infinity]).error).toBe(Infinity);
    expect(compareValues([1e300], [Infinity]).error).toBe(Infinity);
  });
  it('accepts a scale override and handles empty tensors', () => {
    expect(compareValues([2], [1], 10).error).toBeCloseTo(0.1, 15);
    expect(compareValues([], []).error).toBe(0);
    expect(() => compareValues([1], [1, 2])).toThrow(RangeError);
  });
});

describe('checkTensor', () => {
  it('fails on a shape mismatch even when the values agree', () => {
    const r = checkTensor(
      'y',
      { shape: [2, 1], values: [1, 2] },
      { shape: [1, 2], values: [1, 2] },
      1,
    );
    expect(r.ok).toBe(false);
    expect(r.message).toContain('shape [2, 1], expected [1, 2]');
  });
  it('names the worst element by multi-index', () => {
    const r = checkTensor(
      'y',
      { shape: [2, 2], values: [0, 0, 0, 1] },
      { shape: [2, 2], values: [0, 0, 0, 0] },
      1e-3,
    );
    expect(r.ok).toBe(false);
    expect(r.message).toContain('at [1, 1]: got 1, expected 0');
  });
  it('passes at exactly the tolerance', () => {
    expect(
      checkTensor('y', { shape: [1], values: [0.5] }, { shape: [1], values: [0.25] }, 0.25).ok,
    ).toBe(true);
  });
});

describe('formatError and accurateSum', () => {
  it('formats errors compactly', () => {
    expect(formatError(0)).toBe('0');
    expect(formatError(3e-16)).toBe('3e-16');
    expect(formatError(1.234e-5)).toBe('1.2e-5');
    expect(formatError(Infinity)).toBe('Infinity');
  });
  it('sums without catastrophic loss', () => {
    expect(accurateSum([1e16, 1, -1e16])).toBe(1);
    expect(accurateSum([0.1, 0.2, 0.3, -0.6])).toBeCloseTo(0, 16);
  });
});
