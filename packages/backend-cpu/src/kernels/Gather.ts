/**
 * The `Gather` kernel of the cpu backend (one file per kernel).
 */
import type { KernelFunc } from '@rnnkit/core';
import { gatherOutShape, splitAtAxis, typedArrayFor } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';

/** Copies the slice of `x` at each index along `axis` (an embedding lookup on axis 0). */
export const gather: KernelFunc<'Gather', CpuBackend> = ({ x, indices }, { axis }, backend) => {
  const xs = backend.values(x);
  const idx = backend.intValues(indices);
  const { outer, extent, inner } = splitAtAxis(x.shape, axis);
  const count = idx.length;
  const ys = typedArrayFor(x.dtype, outer * count * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < count; k++) {
      const src = (o * extent + idx[k]) * inner;
      const dst = (o * count + k) * inner;
      for (let i = 0; i < inner; i++) ys[dst + i] = xs[src + i];
    }
  }
  const shape = gatherOutShape(x.shape, indices.shape, axis);
  return { y: backend.make(ys, shape, x.dtype) };
};
