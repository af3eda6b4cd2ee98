// The Transpose kernel: a strided copy with permuted source strides (assembly/util/strided.ts).
import type { KernelFunc } from '@rnnkit/core';
import { sizeOf, stridesOf, transposeOutShape } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { copyStrided } from './util/strided.js';

/** Permutes axes: output axis i is input axis `perm[i]`. */
export const transpose: KernelFunc<'Transpose', WasmBackend> = ({ x }, { perm }, backend) => {
  const shape = transposeOutShape(x.shape, perm);
  const out = backend.output(shape, x.dtype);
  if (sizeOf(shape) > 0) {
    const inStrides = stridesOf(x.shape);
    copyStrided(
      backend,
      shape,
      perm.map((axis) => inStrides[axis]),
      stridesOf(shape),
      backend.ptr(x),
      out.ptr,
    );
  }
  return { y: out.info };
};
