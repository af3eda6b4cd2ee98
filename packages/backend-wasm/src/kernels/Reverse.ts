// The Reverse kernel: a strided copy with negated source strides (assembly/util/strided.ts).
import type { KernelFunc } from '@rnnkit/core';
import { reverseStrides, sizeOf, stridesOf } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { copyStrided } from './util/strided.js';

/** Reverses the listed axes (read with negated strides from the far end). */
export const reverse: KernelFunc<'Reverse', WasmBackend> = ({ x }, { axes }, backend) => {
  const out = backend.output(x.shape, x.dtype);
  if (sizeOf(x.shape) > 0) {
    const { strides, offset } = reverseStrides(x.shape, axes);
    copyStrided(
      backend,
      x.shape,
      strides,
      stridesOf(x.shape),
      backend.ptr(x) + offset * 4,
      out.ptr,
    );
  }
  return { y: out.info };
};
