/**
 * The output shape of `Reduce`, shared by every backend.
 */
import type { Shape } from '../types.js';

/**
 * Output shape of reducing `shape` over `axes`: the reduced axes become 1 with `keepDims`,
 * else they are removed. Also the output shape of `ArgMax` (`axes = [axis]`, no `keepDims`).
 *
 * @example
 * ```ts
 * check(reduceOutShape([2, 3, 4], [1], true), [2, 1, 4]);
 * check(reduceOutShape([2, 3, 4], [1], false), [2, 4]);
 * ```
 */
export function reduceOutShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const reduced = new Set(axes);
  return keepDims
    ? shape.map((extent, axis) => (reduced.has(axis) ? 1 : extent))
    : shape.filter((_, axis) => !reduced.has(axis));
}
