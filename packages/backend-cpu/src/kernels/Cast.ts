/**
 * The `Cast` kernel of the cpu backend (one file per kernel).
 */
import type { KernelFunc } from '@rnnkit/core';
import { typedArrayFor } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';

/**
 * Converts to another dtype. Typed-array assignment already has the catalogue's semantics:
 * float to int32 truncates toward zero, float64 to float32 rounds to nearest.
 */
export const cast: KernelFunc<'Cast', CpuBackend> = ({ x }, { dtype }, backend) => {
  const xs = backend.values(x);
  const ys = typedArrayFor(dtype, xs.length);
  ys.set(xs);
  return { y: backend.make(ys, x.shape, dtype) };
};
