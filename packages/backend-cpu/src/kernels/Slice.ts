import type { KernelFunc } from '@rnnkit/core';
import { stridesOf } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import { readAtOffsets, stridedOffsets } from './util/strided.js';

/** Copies the block starting at `begin` with extents `size`. */
export const slice: KernelFunc<'Slice', CpuBackend> = ({ x }, { begin, size }, backend) => {
  const xs = backend.values(x);
  const strides = stridesOf(x.shape);
  let start = 0;
  for (let axis = 0; axis < begin.length; axis++) start += begin[axis] * strides[axis];
  const from = stridedOffsets(size, strides, start);
  const ys = readAtOffsets(xs, from, x.dtype);
  return { y: backend.make(ys, size, x.dtype) };
};
