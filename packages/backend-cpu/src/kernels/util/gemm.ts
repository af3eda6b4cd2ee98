/**
 * The cpu backend's matrix product on strided views, used by `MatMul` and the recurrent kernels,
 * with its small matrix helpers.
 */
import type { FloatArray } from './float.js';

/**
 * Where one matrix operand lives: its array, the offset of element (0, 0) and its leading
 * dimension (distance between consecutive stored rows). A leading dimension larger than the row
 * length lets a kernel multiply a strided view in place, such as the rows of one time step in a
 * `[B, T, F]` batch-first buffer (`offset = t * F`, `ld = T * F`).
 */
export interface MatrixView {
  /** Backing array. */
  readonly data: FloatArray;
  /** Index of element (0, 0). */
  readonly offset: number;
  /** Elements between the starts of consecutive stored rows. */
  readonly ld: number;
}

/** A {@link MatrixView} of a whole dense row-major matrix with `columns` columns. */
export function dense(data: FloatArray, columns: number, offset = 0): MatrixView {
  return { data, offset, ld: columns };
}

// Tile sizes for the axpy form: a 64 x 256 tile of B is 128 KiB in float64, which stays in L2
// while every row of A streams past it.
const DEPTH_TILE = 64;
const AXPY_COLUMN_TILE = 256;
// For the dot form, 64 rows of B (each `k` long) are reused across all rows of A.
const DOT_ROW_TILE = 64;

/**
 * `C += op(A) @ op(B)` with `op(A)` of shape `[m, k]` and `op(B)` of shape `[k, n]`; `op` reads
 * the stored matrix transposed when its flag is set (so a transposed A is stored `[k, m]`).
 *
 * Accumulating into C lets callers pre-fill it with a bias. The loop order is chosen per case so
 * that the innermost loop always walks contiguous memory and no transposed copy is made, except
 * when both operands are transposed (rare: then A is packed once).
 */
export function gemm(
  transposeA: boolean,
  transposeB: boolean,
  m: number,
  n: number,
  k: number,
  a: MatrixView,
  b: MatrixView,
  c: MatrixView,
): void {
  if (m === 0 || n === 0 || k === 0) return;
  if (!transposeB) {
    // op(A)[i, p] = a[aRow * i + aDepth * p]: element steps for either storage order.
    const aRowStep = transposeA ? 1 : a.ld;
    const aDepthStep = transposeA ? a.ld : 1;
    gemmAxpy(m, n, k, a.data, a.offset, aRowStep, aDepthStep, b, c);
    return;
  }
  if (!transposeA) {
    gemmDot(m, n, k, a, b, c);
    return;
  }
  const packed = new Float64Array(m * k);
  for (let p = 0; p < k; p++) {
    const row = a.offset + p * a.ld;
    for (let i = 0; i < m; i++) packed[i * k + p] = a.data[row + i];
  }
  gemmDot(m, n, k, dense(packed, k), b, c);
}

/**
 * B stored `[k, n]` row-major: each A element scales a contiguous row of B into a contiguous row
 * of C. Two rows of C and four depth steps are fused, so every B element loaded feeds two
 * updates and C is loaded and stored a quarter as often as with a plain axpy.
 */
function gemmAxpy(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOffset: number,
  aRowStep: number,
  aDepthStep: number,
  bView: MatrixView,
  cView: MatrixView,
): void {
  const { data: b, offset: bOffset, ld: ldb } = bView;
  const { data: c, offset: cOffset, ld: ldc } = cView;
  for (let j0 = 0; j0 < n; j0 += AXPY_COLUMN_TILE) {
    const jEnd = Math.min(n, j0 + AXPY_COLUMN_TILE);
    for (let p0 = 0; p0 < k; p0 += DEPTH_TILE) {
      const pEnd = Math.min(k, p0 + DEPTH_TILE);
      let i = 0;
      for (; i + 1 < m; i += 2) {
        const c0 = cOffset + i * ldc;
        const c1 = c0 + ldc;
        const a0 = aOffset + i * aRowStep;
        const a1 = a0 + aRowStep;
        let p = p0;
        for (; p + 3 < pEnd; p += 4) {
          const d0 = p * aDepthStep;
          const d1 = d0 + aDepthStep;
          const d2 = d1 + aDepthStep;
          const d3 = d2 + aDepthStep;
          const x0 = a[a0 + d0];
          const x1 = a[a0 + d1];
          const x2 = a[a0 + d2];
          const x3 = a[a0 + d3];
          const y0 = a[a1 + d0];
          const y1 = a[a1 + d1];
          const y2 = a[a1 + d2];
          const y3 = a[a1 + d3];
          const b0 = bOffset + p * ldb;
          const b1 = b0 + ldb;
          const b2 = b1 + ldb;
          const b3 = b2 + ldb;
          for (let j = j0; j < jEnd; j++) {
            const v0 = b[b0 + j];
            const v1 = b[b1 + j];
            const v2 = b[b2 + j];
            const v3 = b[b3 + j];
            c[c0 + j] += x0 * v0 + x1 * v1 + x2 * v2 + x3 * v3;
            c[c1 + j] += y0 * v0 + y1 * v1 + y2 * v2 + y3 * v3;
          }
        }
        for (; p < pEnd; p++) {
          const x = a[a0 + p * aDepthStep];
          const y = a[a1 + p * aDepthStep];
          const bRow = bOffset + p * ldb;
          for (let j = j0; j < jEnd; j++) {
            const v = b[bRow + j];
            c[c0 + j] += x * v;
            c[c1 + j] += y * v;
          }
        }
      }
      if (i < m) {
        const cRow = cOffset + i * ldc;
        const aRow = aOffset + i * aRowStep;
        for (let p = p0; p < pEnd; p++) {
          const x = a[aRow + p * aDepthStep];
          const bRow = bOffset + p * ldb;
          for (let j = j0; j < jEnd; j++) c[cRow + j] += x * b[bRow + j];
        }
      }
    }
  }
}

/**
 * A stored `[m, k]` and B stored `[n, k]`: every C element is a dot product of two contiguous
 * rows, accumulated in a JavaScript number (float64) before it touches C. Four rows of B are
 * dotted with one row of A together, so each A element is loaded once per four products.
 */
function gemmDot(
  m: number,
  n: number,
  k: number,
  aView: MatrixView,
  bView: MatrixView,
  cView: MatrixView,
): void {
  const { data: a, offset: aOffset, ld: lda } = aView;
  const { data: b, offset: bOffset, ld: ldb } = bView;
  const { data: c, offset: cOffset, ld: ldc } = cView;
  for (let j0 = 0; j0 < n; j0 += DOT_ROW_TILE) {
    const jEnd = Math.min(n, j0 + DOT_ROW_TILE);
    for (let i = 0; i < m; i++) {
      const aRow = aOffset + i * lda;
      const cRow = cOffset + i * ldc;
      let j = j0;
      for (; j + 3 < jEnd; j += 4) {
        const b0 = bOffset + j * ldb;
        const b1 = b0 + ldb;
        const b2 = b1 + ldb;
        const b3 = b2 + ldb;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let p = 0; p < k; p++) {
          const ap = a[aRow + p];
          s0 += ap * b[b0 + p];
          s1 += ap * b[b1 + p];
          s2 += ap * b[b2 + p];
          s3 += ap * b[b3 + p];
        }
        c[cRow + j] += s0;
        c[cRow + j + 1] += s1;
        c[cRow + j + 2] += s2;
        c[cRow + j + 3] += s3;
      }
      for (; j < jEnd; j++) {
        const bRow = bOffset + j * ldb;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[aRow + p] * b[bRow + p];
        c[cRow + j] += s;
      }
    }
  }
}

/** Adds the column sums of the dense `[rows, columns]` matrix `m` to `sums`. */
export function addColumnSums(
  m: FloatArray,
  rows: number,
  columns: number,
  sums: FloatArray,
): void {
  for (let r = 0; r < rows; r++) {
    const row = r * columns;
    for (let j = 0; j < columns; j++) sums[j] += m[row + j];
  }
}

/** A new `[columns, rows]` array holding the transpose of the dense `[rows, columns]` matrix `m`. */
export function transposed(m: FloatArray, rows: number, columns: number): FloatArray {
  const out = m instanceof Float32Array ? new Float32Array(m.length) : new Float64Array(m.length);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < columns; j++) out[j * rows + r] = m[r * columns + j];
  }
  return out;
}
