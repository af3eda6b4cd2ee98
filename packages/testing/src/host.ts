/**
 * Host-side tensors: plain typed arrays with a shape and dtype, independent of any backend.
 * The suite builds every input on the host and uploads identical copies to each backend it
 * compares, so "identical inputs" is true by construction.
 */
import type { DType, Shape, TypedArray } from '@rnnkit/core';
import { Random, sizeOf, typedArrayFor } from '@rnnkit/core';

/** A tensor held in JavaScript memory: row-major `values` of `shape` in `dtype`. */
export interface HostTensor {
  /** The logical shape. */
  readonly shape: Shape;
  /** Element type; `values` is the matching typed array. */
  readonly dtype: DType;
  /** Row-major values. */
  readonly values: TypedArray;
}

/** Wraps `values` (copied into the typed array of `dtype`, which rounds to float32 when asked) as a {@link HostTensor}. */
export function hostTensor(shape: Shape, dtype: DType, values: ArrayLike<number>): HostTensor {
  const size = sizeOf(shape);
  if (values.length !== size) {
    throw new RangeError(
      `hostTensor: ${values.length} values do not fill shape [${shape.join(', ')}] (${size} elements)`,
    );
  }
  const typed = typedArrayFor(dtype, size);
  typed.set(values);
  return { shape: [...shape], dtype, values: typed };
}

/** Uniform random values in `[low, high)` from `rng`. */
export function uniformTensor(
  rng: Random,
  shape: Shape,
  dtype: DType,
  low = -1,
  high = 1,
): HostTensor {
  const values = new Float64Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = rng.uniform(low, high);
  return hostTensor(shape, dtype, values);
}

/**
 * Uniform random values whose magnitude lies in `[low, high)` with a random sign: values kept
 * away from zero, for functions with a kink or a pole there.
 */
export function awayFromZeroTensor(
  rng: Random,
  shape: Shape,
  dtype: DType,
  low: number,
  high: number,
): HostTensor {
  const values = new Float64Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++)
    values[i] = (rng.next() < 0.5 ? -1 : 1) * rng.uniform(low, high);
  return hostTensor(shape, dtype, values);
}

/** Random integers in `[low, high)`. */
export function intTensor(
  rng: Random,
  shape: Shape,
  low: number,
  high: number,
  dtype: DType = 'int32',
): HostTensor {
  const values = new Float64Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = low + rng.int(high - low);
  return hostTensor(shape, dtype, values);
}

/** Row-major strides of `shape` (core's). */
export { stridesOf } from '@rnnkit/core';

/** The multi-index of flat position `flat` in `shape`. */
export function unravel(flat: number, shape: Shape): number[] {
  const index = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    index[i] = shape[i] === 0 ? 0 : flat % shape[i];
    flat = shape[i] === 0 ? 0 : Math.floor(flat / shape[i]);
  }
  return index;
}

/** Formats a shape as `[2, 3]`. */
export function shapeText(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Creates a seeded generator; one seed gives the same cases on every platform. */
export function rngFor(seed: number): Random {
  return new Random(seed);
}
