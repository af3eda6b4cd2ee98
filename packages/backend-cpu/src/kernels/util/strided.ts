/**
 * Strided reads: the offsets of every element of a shape under given strides (used by Binary's
 * broadcasting, Pad, Reduce, Reverse, Slice and Transpose).
 */
import type { DType, Shape, TypedArray } from '@rnnkit/core';
import { sizeOf, typedArrayFor } from '@rnnkit/core';

/**
 * For every element of `shape` in row-major order, the offset `base + Σ index[d] * strides[d]`.
 *
 * Most layout kernels (transpose, slice, pad, reverse, broadcasting, reduction) reduce to "read or
 * write element i at offset[i]", so they share this one routine. It builds the table axis by
 * axis from the innermost outwards, replicating the block already built, which costs one add per
 * element.
 */
export function stridedOffsets(shape: Shape, strides: readonly number[], base = 0): Int32Array {
  const size = sizeOf(shape);
  const offsets = new Int32Array(size);
  if (size === 0) return offsets;
  offsets[0] = base;
  let block = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const extent = shape[axis];
    const stride = strides[axis];
    for (let j = 1; j < extent; j++) {
      const shift = j * stride;
      const dst = j * block;
      for (let i = 0; i < block; i++) offsets[dst + i] = offsets[i] + shift;
    }
    block *= extent;
  }
  return offsets;
}

/** A new array of `dtype` whose element i is `values[offsets[i]]`. */
export function readAtOffsets(values: TypedArray, offsets: Int32Array, dtype: DType): TypedArray {
  const out = typedArrayFor(dtype, offsets.length);
  for (let i = 0; i < offsets.length; i++) out[i] = values[offsets[i]];
  return out;
}
