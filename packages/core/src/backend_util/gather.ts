/**
 * The output shape of `Gather` (and the updates shape of `ScatterAdd`), shared by every backend.
 */
import type { Shape } from '../types.js';

/**
 * Output shape of `Gather` (and the `updates` shape of `ScatterAdd`):
 * `xShape[:axis] ++ indicesShape ++ xShape[axis+1:]`.
 *
 * @example
 * ```ts
 * check(gatherOutShape([10, 4], [2, 3], 0), [2, 3, 4]);
 * ```
 */
export function gatherOutShape(xShape: Shape, indicesShape: Shape, axis: number): number[] {
  return [...xShape.slice(0, axis), ...indicesShape, ...xShape.slice(axis + 1)];
}
