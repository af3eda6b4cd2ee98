import type { KernelFunc } from '@rnnkit/core';
import { stridesOf } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import { readAtOffsets, stridedOffsets } from './util/strided.js';

/** Reverses the listed axes by reading them from their far end with negated strides. */
export const reverse: KernelFunc<'Reverse', CpuBackend> = ({ x }, { axes }, backend) => {
  const xs = backend.values(x);
  const strides = stridesOf(x.shape);
  let start = 0;
  for (const axis of new Set(axes)) {
    if (x.shape[axis] === 0) continue;
    start += (x.shape[axis] - 1) * strides[axis];
    strides[axis] = -strides[axis];
  }
  const from = stridedOffsets(x.shape, strides, start);
  const ys = readAtOffsets(xs, from, x.dtype);
  return { y: backend.make(ys, x.shape, x.dtype) };
};
