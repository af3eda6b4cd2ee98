/**
 * Numerical comparison used by every check of the suite.
 *
 * The error measure is the one the conformance README prescribes: the largest absolute
 * difference divided by the tensor's scale, `max|a - b| / max(1, max|b|)`, where `b` is the
 * expected (reference) tensor. It is a relative error for tensors of large values and an
 * absolute one for tensors whose values are all below 1 (so that tiny, vanishing gradients are
 * not held to an impossible relative standard).
 */
import type { Shape } from '@rnnkit/core';
import { shapeText, unravel } from './host.js';

/** The outcome of comparing one actual tensor with its expected value. */
export interface Comparison {
  /** `max|a - b|` over all elements (Infinity when a NaN or infinity disagrees). */
  maxAbsError: number;
  /** The scale the error is divided by: `max(1, max|b|)`, or the caller's override. */
  scale: number;
  /** `maxAbsError / scale`: the number held against the tolerance. */
  error: number;
  /** Flat index of the worst element (-1 for empty tensors). */
  worstIndex: number;
  /** The actual value at {@link Comparison.worstIndex}. */
  actualAtWorst: number;
  /** The expected value at {@link Comparison.worstIndex}. */
  expectedAtWorst: number;
}

/**
 * The default scale of a comparison: the largest finite `|expected|`, and at least `floor`
 * (1 by default, which makes the error absolute for tensors of small values).
 */
export function finiteScale(expected: ArrayLike<number>, floor = 1): number {
  let scale = floor;
  for (let i = 0; i < expected.length; i++) {
    const b = Math.abs(expected[i]);
    if (Number.isFinite(b) && b > scale) scale = b;
  }
  return scale;
}

/**
 * Compares `actual` with `expected` element by element.
 *
 * Two NaNs, or two infinities of the same sign, count as equal; any other disagreement
 * involving a non-finite value makes the error infinite.
 *
 * @param scale - overrides the default scale `max(1, max|expected|)` (e.g. with the
 *   magnitude of the terms a reduction summed, when that bounds its rounding error better).
 */
export function compareValues(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  scale?: number,
): Comparison {
  if (actual.length !== expected.length) {
    throw new RangeError(
      `compareValues: ${actual.length} actual values vs ${expected.length} expected`,
    );
  }
  const s = scale ?? finiteScale(expected);
  let maxAbsError = 0;
  let worstIndex = expected.length > 0 ? 0 : -1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const b = expected[i];
    let d: number;
    if (Number.isFinite(a) && Number.isFinite(b)) d = Math.abs(a - b);
    else if (Number.isNaN(a) && Number.isNaN(b)) d = 0;
    else d = a === b ? 0 : Number.POSITIVE_INFINITY;
    if (d > maxAbsError || (Number.isNaN(d) && !Number.isNaN(maxAbsError))) {
      maxAbsError = d;
      worstIndex = i;
    }
  }
  return {
    maxAbsError,
    scale: s,
    error: maxAbsError / s,
    worstIndex,
    actualAtWorst: worstIndex >= 0 ? actual[worstIndex] : Number.NaN,
    expectedAtWorst: worstIndex >= 0 ? expected[worstIndex] : Number.NaN,
  };
}

/** The result of checking one named tensor against a tolerance. */
export interface TensorCheck {
  /** What was compared, e.g. `output`, `grad weight_hh_l0`. */
  name: string;
  /** True when the shapes agree and the error is within the tolerance. */
  ok: boolean;
  /** The error (Infinity when the shapes differ). */
  error: number;
  /** The tolerance it was held to. */
  tolerance: number;
  /** A one-line explanation when not {@link TensorCheck.ok}. */
  message?: string;
}

/**
 * Checks one named tensor: shapes first, then {@link compareValues} against `tolerance`.
 * The failure message names the worst element by multi-index with both values.
 */
export function checkTensor(
  name: string,
  actual: { shape: Shape; values: ArrayLike<number> },
  expected: { shape: Shape; values: ArrayLike<number> },
  tolerance: number,
  scale?: number,
): TensorCheck {
  const sameShape =
    actual.shape.length === expected.shape.length &&
    actual.shape.every((d, i) => d === expected.shape[i]);
  if (!sameShape) {
    return {
      name,
      ok: false,
      error: Number.POSITIVE_INFINITY,
      tolerance,
      message: `${name}: shape ${shapeText(actual.shape)}, expected ${shapeText(expected.shape)}`,
    };
  }
  const c = compareValues(actual.values, expected.values, scale);
  const ok = c.error <= tolerance;
  return {
    name,
    ok,
    error: c.error,
    tolerance,
    message: ok
      ? undefined
      : `${name}: error ${formatError(c.error)} > tolerance ${formatError(tolerance)} ` +
        `at [${unravel(c.worstIndex, expected.shape).join(', ')}]: got ${c.actualAtWorst}, expected ${c.expectedAtWorst}` +
        ` (scale ${formatError(c.scale)})`,
  };
}

/** Formats an error for one-line reports: `3e-16`, `1.2e-5`, `0`, `Infinity`. */
export function formatError(e: number): string {
  if (e === 0) return '0';
  if (!Number.isFinite(e)) return String(e);
  return e.toExponential(1).replace(/\.0e/, 'e').replace('e+', 'e');
}

/** Sum of `values` with Neumaier's compensated summation: the host-side reductions of the suite. */
export function accurateSum(values: Iterable<number>): number {
  let sum = 0;
  let compensation = 0;
  for (const v of values) {
    const t = sum + v;
    if (Math.abs(sum) >= Math.abs(v)) compensation += sum - t + v;
    else compensation += v - t + sum;
    sum = t;
  }
  return sum + compensation;
}

/** `sum(a * b)` over two equally long arrays, computed with {@link accurateSum}. */
export function accurateDot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new RangeError(`accurateDot: lengths ${a.length} and ${b.length} differ`);
  function* products(): Generator<number> {
    for (let i = 0; i < a.length; i++) yield a[i] * b[i];
  }
  return accurateSum(products());
}
