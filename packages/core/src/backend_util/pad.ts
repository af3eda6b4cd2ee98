/**
 * The output shape of `Pad`, shared by every backend.
 */
import type { Shape } from '../types.js';

/**
 * Output shape of `Pad`: each axis grows by its `[before, after]` padding.
 *
 * @example
 * ```ts
 * check(padOutShape([2, 3], [[1, 0], [2, 2]]), [3, 7]);
 * ```
 */
export function padOutShape(
  shape: Shape,
  paddings: readonly (readonly [number, number])[],
): number[] {
  return shape.map((extent, axis) => paddings[axis][0] + extent + paddings[axis][1]);
}
