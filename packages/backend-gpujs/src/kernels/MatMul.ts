// The MatMul kernel: rank-2 and batched products as one generated gemm kernel.
import type { KernelFunc } from '@rnnkit/core';
import { matMulGeometry, sizeOf } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { gemm } from './util/gemm.js';

/**
 * `op(a) @ op(b)` for rank-2 operands or rank-3 ones with equal (or broadcast 1) batches; the
 * transposes are strides of the product kernel, never copies.
 */
export const matMul: KernelFunc<'MatMul', GpujsBackend> = (
  { a, b },
  { transposeA, transposeB },
  backend,
) => {
  const {
    m: M,
    k: K,
    n: N,
    batch,
    aBatch,
    bBatch,
    outShape: shape,
  } = matMulGeometry(a.shape, b.shape, transposeA, transposeB);
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
