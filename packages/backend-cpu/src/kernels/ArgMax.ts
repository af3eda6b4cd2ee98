/**
 * The `ArgMax` kernel of the cpu backend (one file per kernel).
 */
import type { KernelFunc } from '@rnnkit/core';
import { reduceOutShape, splitAtAxis } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';

/**
 * Index of the largest value along `axis`, the first one on ties. NaN counts as larger than
 * every number (as in NumPy and PyTorch), so a row containing NaN points at its first NaN.
 */
export const argMax: KernelFunc<'ArgMax', CpuBackend> = ({ x }, { axis }, backend) => {
  const xs = backend.values(x);
  const { outer, extent, inner } = splitAtAxis(x.shape, axis);
  const ys = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * extent * inner + i;
      let best = 0;
      let bestValue = extent > 0 ? xs[base] : 0;
      for (let a = 1; a < extent && !Number.isNaN(bestValue); a++) {
        const v = xs[base + a * inner];
        if (v > bestValue || Number.isNaN(v)) {
          best = a;
          bestValue = v;
        }
      }
      ys[o * inner + i] = best;
    }
  }
  const shape = reduceOutShape(x.shape, [axis], false);
  return { y: backend.make(ys, shape, 'int32') };
};
