/**
 * The `MatMul` kernel of the cpu backend (one file per kernel).
 */
import type { KernelFunc } from '@rnnkit/core';
import { matMulGeometry } from '@rnnkit/core';
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
  const g = matMulGeometry(a.shape, b.shape, transposeA, transposeB);
  const { m, n, batch, aCols, bCols } = g;
  const aStride = g.aBatch === 1 ? 0 : g.aRows * aCols;
  const bStride = g.bBatch === 1 ? 0 : g.bRows * bCols;

  const aData = backend.floatValues(a);
  const bData = backend.floatValues(b);
  const y = floatArrayFor(a.dtype, batch * m * n);
  for (let s = 0; s < batch; s++) {
    gemm(
      transposeA,
      transposeB,
      m,
      n,
      g.k,
      { data: aData, offset: s * aStride, ld: aCols },
      { data: bData, offset: s * bStride, ld: bCols },
      { data: y, offset: s * m * n, ld: n },
    );
  }
  return { y: backend.make(y, g.outShape, a.dtype) };
};
