/**
 * The `matMul` op: argument checks and the `MatMul` kernel call.
 */
import { ENGINE } from '../engine.js';
import { DTypeError, formatShape, ShapeError } from '../errors.js';
import type { Tensor } from '../tensor.js';

/** Options of {@link matMul}. */
export interface MatMulOptions {
  /** Use the transpose of the last two axes of `a`. */
  transposeA?: boolean;
  /** Use the transpose of the last two axes of `b`. */
  transposeB?: boolean;
}

/**
 * Matrix product of rank-2 tensors, or a batched product of rank-3 tensors (a batch of 1
 * broadcasts).
 * @example
 * ```ts
 * const x = tensor([[1, 2, 3], [4, 5, 6]]); // [batch 2, in 3]
 * const w = tensor([[1, 0, 0], [0, 1, 1]]); // [out 2, in 3], as a Linear layer stores it
 * const y = matMul(x, w, { transposeB: true }); // x @ wᵀ: [2, 2]
 * check(y, [[1, 5], [4, 11]]);
 * ```
 */
export function matMul(a: Tensor, b: Tensor, options: MatMulOptions = {}): Tensor {
  const transposeA = options.transposeA ?? false;
  const transposeB = options.transposeB ?? false;
  if (a.dtype !== b.dtype || a.dtype === 'int32') {
    throw new DTypeError(
      `matMul: arguments 'a' and 'b' must be float tensors of one dtype, got ${a.dtype} and ${b.dtype}`,
    );
  }
  if (!((a.rank === 2 && b.rank === 2) || (a.rank === 3 && b.rank === 3))) {
    throw new ShapeError(
      `matMul: arguments 'a' and 'b' must both have rank 2 or both rank 3, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const r = a.rank;
  const k1 = transposeA ? a.shape[r - 2] : a.shape[r - 1];
  const k2 = transposeB ? b.shape[r - 1] : b.shape[r - 2];
  if (k1 !== k2) {
    throw new ShapeError(
      `matMul: inner dimensions differ: 'a' ${formatShape(a.shape)}${transposeA ? ' (transposed)' : ''} has ${k1} columns, ` +
        `'b' ${formatShape(b.shape)}${transposeB ? ' (transposed)' : ''} has ${k2} rows`,
    );
  }
  if (r === 3 && a.shape[0] !== b.shape[0] && a.shape[0] !== 1 && b.shape[0] !== 1) {
    throw new ShapeError(
      `matMul: batch sizes ${a.shape[0]} and ${b.shape[0]} differ and neither is 1`,
    );
  }
  return ENGINE.runKernel('MatMul', { a, b }, { transposeA, transposeB }).y;
}
