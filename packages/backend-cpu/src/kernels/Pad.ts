/**
 * The `Pad` kernel of the cpu backend (one file per kernel).
 */
import type { KernelFunc } from '@rnnkit/core';
import { flatOffset, padOutShape, sizeOf, stridesOf, typedArrayFor } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import { stridedOffsets } from './util/strided.js';

/** Surrounds `x` with `value`: the output is filled, then `x` is written into its interior. */
export const pad: KernelFunc<'Pad', CpuBackend> = ({ x }, { paddings, value }, backend) => {
  const xs = backend.values(x);
  const shape = padOutShape(x.shape, paddings);
  const strides = stridesOf(shape);
  const start = flatOffset(
    paddings.map(([before]) => before),
    strides,
  );
  const to = stridedOffsets(x.shape, strides, start);
  const ys = typedArrayFor(x.dtype, sizeOf(shape));
  if (value !== 0) ys.fill(value);
  for (let i = 0; i < to.length; i++) ys[to[i]] = xs[i];
  return { y: backend.make(ys, shape, x.dtype) };
};
