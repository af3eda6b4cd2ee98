// The Reverse kernel: one index-mapping pass over reversed axes.
import type { KernelFunc } from '@rnnkit/core';
import { sizeOf, stridesOf } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { dotIndex, int } from '../codegen.js';
import { remap } from './util/remap.js';

/** Reverses `axes`. */
export const reverse: KernelFunc<'Reverse', GpujsBackend> = ({ x }, { axes }, backend) => {
  if (sizeOf(x.shape) === 0) return { y: backend.empty(x.shape, x.dtype) };
  const flipped = new Set(axes);
  const xStrides = stridesOf(x.shape);
  const value = remap(
    backend,
    `reverse:[${x.shape}]:[${axes}]`,
    backend.value(x),
    x.shape,
    undefined,
    (c) =>
      `return a[${dotIndex(
        c.map((coord, axis) =>
          flipped.has(axis) && x.shape[axis] > 1 ? `(${int(x.shape[axis] - 1)} - ${coord})` : coord,
        ),
        xStrides,
      )}];`,
  );
  return { y: backend.make(value, x.shape, x.dtype) };
};
