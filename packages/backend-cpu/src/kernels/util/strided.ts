import type { DType, Shape, TypedArray } from '@rnnkit/core';
import { sizeOf, stridesOf, typedArrayFor } from '@rnnkit/core';

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

/**
 * Strides that read an operand of `inShape` as if broadcast (NumPy rules, aligned on the right)
 * to `outShape`: axes the operand lacks or holds with extent 1 get stride 0.
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
 * Splits `shape` around `axis`: the number of elements before it (`outer`), its extent, and the
 * number after it (`inner`), so that element `(o, a, i)` sits at `(o * extent + a) * inner + i`.
 */
export function splitAtAxis(
  shape: Shape,
  axis: number,
): { outer: number; extent: number; inner: number } {
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  return { outer, extent: shape[axis], inner };
}

/** A new array of `dtype` whose element i is `values[offsets[i]]`. */
export function readAtOffsets(values: TypedArray, offsets: Int32Array, dtype: DType): TypedArray {
  const out = typedArrayFor(dtype, offsets.length);
  for (let i = 0; i < offsets.length; i++) out[i] = values[offsets[i]];
  return out;
}
