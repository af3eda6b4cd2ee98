// The Slice kernel: one strided block copy (assembly/util/strided.ts).
import type { KernelFunc } from '@rnnkit/core';
import { flatOffset, sizeOf, stridesOf } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { copyStrided } from './util/strided.js';

/** The block starting at `begin` with extents `size`. */
export const slice: KernelFunc<'Slice', WasmBackend> = ({ x }, { begin, size }, backend) => {
  const out = backend.output(size, x.dtype);
  if (sizeOf(size) > 0) {
    const strides = stridesOf(x.shape);
    const start = flatOffset(begin, strides);
    copyStrided(backend, size, strides, stridesOf(size), backend.ptr(x) + start * 4, out.ptr);
  }
  return { y: out.info };
};
