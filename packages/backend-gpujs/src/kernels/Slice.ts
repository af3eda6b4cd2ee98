// The Slice kernel: one index-mapping pass.
import type { KernelFunc } from '@rnnkit/core';
import { flatOffset, sizeOf, stridesOf } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { dotIndex } from '../codegen.js';
import { remap } from './util/remap.js';

/** The block `x[begin : begin + size]`. */
export const slice: KernelFunc<'Slice', GpujsBackend> = ({ x }, { begin, size }, backend) => {
  if (sizeOf(size) === 0) return { y: backend.empty(size, x.dtype) };
  const xStrides = stridesOf(x.shape);
  const base = flatOffset(begin, xStrides);
  const value = remap(
    backend,
    `slice:[${x.shape}]:[${begin}]:[${size}]`,
    backend.value(x),
    size,
    undefined,
    (c) => `return a[${dotIndex(c, xStrides, base)}];`,
  );
  return { y: backend.make(value, size, x.dtype) };
};
