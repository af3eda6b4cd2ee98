/**
 * Strides for broadcasting and reversal, and flat offsets, shared by every backend.
 */
import type { Shape } from '../types.js';
import { stridesOf } from '../types.js';

/**
 * Strides that read an operand of `inShape` as if broadcast (NumPy rules, aligned on the right)
 * to `outShape`: axes the operand lacks or holds with extent 1 get stride 0.
 *
 * @example
 * ```ts
 * check(broadcastStrides([3, 1], [2, 3, 4]), [0, 1, 0]);
 * ```
 */
export function broadcastStrides(inShape: Shape, outShape: Shape): number[] {
  const own = stridesOf(inShape);
  const lead = outShape.length - inShape.length;
  const strides = new Array<number>(outShape.length).fill(0);
  for (let axis = 0; axis < inShape.length; axis++) {
    if (inShape[axis] !== 1) strides[lead + axis] = own[axis];
  }
  return strides;
}

/**
 * The flat offset `Σ index[d] * strides[d]` of a multi-index; `index` may be shorter than
 * `strides` (missing trailing entries count as 0). Used for the first element of a slice
 * (`begin`) or of the interior of a padded tensor (the `before` paddings).
 */
export function flatOffset(index: readonly number[], strides: readonly number[]): number {
  let offset = 0;
  for (let axis = 0; axis < index.length; axis++) offset += index[axis] * strides[axis];
  return offset;
}

/**
 * Strides and start offset that read a row-major tensor of `shape` with the elements of each
 * axis in `axes` reversed: those strides are negated and the start moves to the far end of the
 * axis. Axes listed twice are reversed once; axes of extent 0 are left alone.
 */
export function reverseStrides(
  shape: Shape,
  axes: readonly number[],
): { strides: number[]; offset: number } {
  const strides = stridesOf(shape);
  let offset = 0;
  for (const axis of new Set(axes)) {
    if (shape[axis] === 0) continue;
    offset += (shape[axis] - 1) * strides[axis];
    strides[axis] = -strides[axis];
  }
  return { strides, offset };
}
