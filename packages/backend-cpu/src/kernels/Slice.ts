/**
 * The `Slice` kernel of the cpu backend (one file per kernel).
 */
import type { KernelFunc } from '@rnnkit/core';
import { flatOffset, stridesOf } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import { readAtOffsets, stridedOffsets } from './util/strided.js';

/** Copies the block starting at `begin` with extents `size`. */
export const slice: KernelFunc<'Slice', CpuBackend> = ({ x }, { begin, size }, backend) => {
  const xs = backend.values(x);
  const strides = stridesOf(x.shape);
  const from = stridedOffsets(size, strides, flatOffset(begin, strides));
  const ys = readAtOffsets(xs, from, x.dtype);
  return { y: backend.make(ys, size, x.dtype) };
};
