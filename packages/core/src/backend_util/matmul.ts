/**
 * The geometry of one `MatMul` call (sizes, batches, broadcast), shared by every backend.
 */
import type { Shape } from '../types.js';

/** Sizes of one `MatMul` call, as {@link matMulGeometry} derives them. */
export interface MatMulGeometry {
  /** Rows of `op(a)` and of the output. */
  m: number;
  /** Columns of `op(a)`, rows of `op(b)`: the summed extent. */
  k: number;
  /** Columns of `op(b)` and of the output. */
  n: number;
  /** Output batch: the larger of the two operand batches (1 for rank 2). */
  batch: number;
  /** Batch of `a` as stored (1 for rank 2, or a broadcast batch of 1). */
  aBatch: number;
  /** Batch of `b` as stored (1 for rank 2, or a broadcast batch of 1). */
  bBatch: number;
  /** Rows of `a` as stored (before any transpose). */
  aRows: number;
  /** Columns of `a` as stored: its leading dimension. */
  aCols: number;
  /** Rows of `b` as stored (before any transpose). */
  bRows: number;
  /** Columns of `b` as stored: its leading dimension. */
  bCols: number;
  /** `[m, n]`, or `[batch, m, n]` for rank-3 operands. */
  outShape: number[];
}

/**
 * The geometry of `op(a) @ op(b)` for the `MatMul` kernel, where `op` transposes the last two
 * axes when asked. Both shapes have rank 2, or both rank 3 with equal batches or a batch of 1
 * (core's op layer has checked this); the rank is read from `a`.
 *
 * @example
 * ```ts
 * const g = matMulGeometry([4, 2, 3], [1, 5, 3], false, true);
 * check(g, { m: 2, k: 3, n: 5, batch: 4, aBatch: 4, bBatch: 1, outShape: [4, 2, 5] });
 * ```
 */
export function matMulGeometry(
  a: Shape,
  b: Shape,
  transposeA: boolean,
  transposeB: boolean,
): MatMulGeometry {
  const rank = a.length;
  const batched = rank === 3;
  const aRows = a[rank - 2];
  const aCols = a[rank - 1];
  const bRows = b[rank - 2];
  const bCols = b[rank - 1];
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  const aBatch = batched ? a[0] : 1;
  const bBatch = batched ? b[0] : 1;
  const batch = Math.max(aBatch, bBatch);
  return {
    m,
    k,
    n,
    batch,
    aBatch,
    bBatch,
    aRows,
    aCols,
    bRows,
    bCols,
    outShape: batched ? [batch, m, n] : [m, n],
  };
}
