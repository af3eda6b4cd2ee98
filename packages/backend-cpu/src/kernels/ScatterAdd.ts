/**
 * The `ScatterAdd` kernel of the cpu backend (one file per kernel).
 */
import type { KernelFunc } from '@rnnkit/core';
import { sizeOf, splitAtAxis, typedArrayFor } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';

/** The adjoint of Gather: adds each slice of `updates` into a zero tensor at its index. */
export const scatterAdd: KernelFunc<'ScatterAdd', CpuBackend> = (
  { updates, indices },
  { axis, shape },
  backend,
) => {
  const us = backend.values(updates);
  const idx = backend.intValues(indices);
  const { outer, extent, inner } = splitAtAxis(shape, axis);
  const count = idx.length;
  const ys = typedArrayFor(updates.dtype, sizeOf(shape));
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < count; k++) {
      const src = (o * count + k) * inner;
      const dst = (o * extent + idx[k]) * inner;
      for (let i = 0; i < inner; i++) ys[dst + i] += us[src + i];
    }
  }
  return { y: backend.make(ys, shape, updates.dtype) };
};
