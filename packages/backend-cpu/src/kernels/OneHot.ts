/**
 * The `OneHot` kernel of the cpu backend (one file per kernel).
 */
import type { KernelFunc } from '@rnnkit/core';
import { typedArrayFor } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';

/** One row of `depth` per index with a 1 at the index; out-of-range indices give a zero row. */
export const oneHot: KernelFunc<'OneHot', CpuBackend> = (
  { indices },
  { depth, dtype },
  backend,
) => {
  const idx = backend.intValues(indices);
  const ys = typedArrayFor(dtype, idx.length * depth);
  for (let k = 0; k < idx.length; k++) {
    const hot = idx[k];
    if (hot >= 0 && hot < depth) ys[k * depth + hot] = 1;
  }
  return { y: backend.make(ys, [...indices.shape, depth], dtype) };
};
