/**
 * The `Reverse` kernel of the cpu backend (one file per kernel).
 */
import type { KernelFunc } from '@rnnkit/core';
import { reverseStrides } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import { readAtOffsets, stridedOffsets } from './util/strided.js';

/** Reverses the listed axes by reading them from their far end with negated strides. */
export const reverse: KernelFunc<'Reverse', CpuBackend> = ({ x }, { axes }, backend) => {
  const xs = backend.values(x);
  const { strides, offset } = reverseStrides(x.shape, axes);
  const from = stridedOffsets(x.shape, strides, offset);
  const ys = readAtOffsets(xs, from, x.dtype);
  return { y: backend.make(ys, x.shape, x.dtype) };
};
