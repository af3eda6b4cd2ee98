import type { KernelFunc } from '@rnnkit/core';
import { sizeOf } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { gemm } from './gemm.js';

/**
 * `op(a) @ op(b)` for rank-2 operands or rank-3 ones with equal (or broadcast 1) batches; the
 * transposes are strides of the product kernel, never copies.
 */
export const matMul: KernelFunc<'MatMul', GpujsBackend> = (
  { a, b },
  { transposeA, transposeB },
  backend,
) => {
  const rank = a.shape.length;
  const [aRows, aCols] = a.shape.slice(rank - 2);
  const [bRows, bCols] = b.shape.slice(rank - 2);
  const M = transposeA ? aCols : aRows;
  const K = transposeA ? aRows : aCols;
  const N = transposeB ? bRows : bCols;
  const aBatch = rank === 3 ? a.shape[0] : 1;
  const bBatch = rank === 3 ? b.shape[0] : 1;
  const batch = Math.max(aBatch, bBatch);
  const shape = rank === 3 ? [batch, M, N] : [M, N];
  if (sizeOf(shape) === 0) return { y: backend.empty(shape, a.dtype) };
  const value = gemm(
    backend,
    {
      batch,
      M,
      N,
      K,
      a: {
        batch: aBatch === 1 ? 0 : M * K,
        outer: transposeA ? 1 : K,
        k: transposeA ? M : 1,
      },
      b: {
        batch: bBatch === 1 ? 0 : K * N,
        outer: transposeB ? K : 1,
        k: transposeB ? 1 : N,
      },
      int: a.dtype === 'int32',
    },
    backend.value(a),
    backend.value(b),
  );
  return { y: backend.make(value, shape, a.dtype) };
};
