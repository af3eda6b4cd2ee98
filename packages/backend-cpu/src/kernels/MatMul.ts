import type { KernelFunc } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import { floatArrayFor } from './util/float.js';
import { gemm } from './util/gemm.js';

/**
 * Rank-2 or batched rank-3 matrix product. A batch of 1 on either side is reused for every
 * batch of the other (stride 0), so broadcasting a weight matrix costs nothing.
 */
export const matMul: KernelFunc<'MatMul', CpuBackend> = (
  { a, b },
  { transposeA, transposeB },
  backend,
) => {
  const rank = a.shape.length;
  const batched = rank === 3;
  const aRows = a.shape[rank - 2];
  const aCols = a.shape[rank - 1];
  const bRows = b.shape[rank - 2];
  const bCols = b.shape[rank - 1];
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;

  const aBatch = batched ? a.shape[0] : 1;
  const bBatch = batched ? b.shape[0] : 1;
  const batch = Math.max(aBatch, bBatch);
  const aStride = aBatch === 1 ? 0 : aRows * aCols;
  const bStride = bBatch === 1 ? 0 : bRows * bCols;

  const aData = backend.floatValues(a);
  const bData = backend.floatValues(b);
  const y = floatArrayFor(a.dtype, batch * m * n);
  for (let s = 0; s < batch; s++) {
    gemm(
      transposeA,
      transposeB,
      m,
      n,
      k,
      { data: aData, offset: s * aStride, ld: aCols },
      { data: bData, offset: s * bStride, ld: bCols },
      { data: y, offset: s * m * n, ld: n },
    );
  }
  return { y: backend.make(y, batched ? [batch, m, n] : [m, n], a.dtype) };
};
