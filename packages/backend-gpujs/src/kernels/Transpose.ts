// The Transpose kernel: one index-mapping pass over permuted axes.
import type { KernelFunc } from '@rnnkit/core';
import { sizeOf, stridesOf, transposeOutShape } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { dotIndex } from '../codegen.js';
import { remap } from './util/remap.js';

/** Permutes axes. */
export const transpose: KernelFunc<'Transpose', GpujsBackend> = ({ x }, { perm }, backend) => {
  const shape = transposeOutShape(x.shape, perm);
  if (sizeOf(shape) === 0) return { y: backend.empty(shape, x.dtype) };
  const xStrides = stridesOf(x.shape);
  const value = remap(
    backend,
    `transpose:[${x.shape}]:[${perm}]`,
    backend.value(x),
    shape,
    undefined,
    (c) =>
      `return a[${dotIndex(
        c,
        perm.map((p) => xStrides[p]),
      )}];`,
  );
  return { y: backend.make(value, shape, x.dtype) };
};
