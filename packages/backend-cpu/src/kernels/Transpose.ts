/**
 * The `Transpose` kernel of the cpu backend (one file per kernel).
 */
import type { KernelFunc } from '@rnnkit/core';
import { stridesOf, transposeOutShape } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import { readAtOffsets, stridedOffsets } from './util/strided.js';

/** Permutes axes by reading the input with its strides permuted. */
export const transpose: KernelFunc<'Transpose', CpuBackend> = ({ x }, { perm }, backend) => {
  const xs = backend.values(x);
  const inStrides = stridesOf(x.shape);
  const shape = transposeOutShape(x.shape, perm);
  const from = stridedOffsets(
    shape,
    perm.map((axis) => inStrides[axis]),
  );
  const ys = readAtOffsets(xs, from, x.dtype);
  return { y: backend.make(ys, shape, x.dtype) };
};
