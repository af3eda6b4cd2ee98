/**
 * The output shape of `Transpose`, shared by every backend.
 */
import type { Shape } from '../types.js';

/**
 * Output shape of `Transpose`: output axis i has the extent of input axis `perm[i]`.
 *
 * @example
 * ```ts
 * check(transposeOutShape([2, 3, 4], [2, 0, 1]), [4, 2, 3]);
 * ```
 */
export function transposeOutShape(shape: Shape, perm: readonly number[]): number[] {
  return perm.map((axis) => shape[axis]);
}
