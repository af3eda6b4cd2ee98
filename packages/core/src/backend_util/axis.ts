/**
 * Splitting a shape at an axis into outer, axis and inner extents: the layout most axis kernels
 * loop over.
 */
import type { Shape } from '../types.js';

/** The three extents {@link splitAtAxis} returns. */
export interface AxisSplit {
  /** Number of elements before the axis (product of the leading extents). */
  outer: number;
  /** Extent of the axis itself. */
  extent: number;
  /** Number of elements after the axis (product of the trailing extents). */
  inner: number;
}

/**
 * Splits `shape` around `axis`, so that element `(o, a, i)` of the `[outer, extent, inner]`
 * view sits at flat offset `(o * extent + a) * inner + i`.
 *
 * @example
 * ```ts
 * check(splitAtAxis([2, 3, 4, 5], 1), { outer: 2, extent: 3, inner: 20 });
 * ```
 */
export function splitAtAxis(shape: Shape, axis: number): AxisSplit {
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  return { outer, extent: shape[axis], inner };
}
