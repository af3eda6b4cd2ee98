/**
 * Gradient of the `MatMul` kernel, batches and broadcasting included.
 */
import { matMul } from '../ops/matmul.js';
import { sum } from '../ops/reduce.js';
import type { Tensor } from '../tensor.js';
import type { GradFunc } from './types.js';

/** Sums a batched gradient over the batch axis when the operand's batch of 1 was broadcast. */
function unbroadcastBatch(g: Tensor, operand: Tensor): Tensor {
  return operand.rank === 3 && operand.shape[0] === 1 && g.shape[0] !== 1 ? sum(g, 0, true) : g;
}

export const matMulGrad: GradFunc<'MatMul'> = (
  { y: dy },
  { inputs: { a, b }, attrs: { transposeA, transposeB } },
) => {
  if (!dy) return {};
  let da: Tensor;
  let db: Tensor;
  if (!transposeA && !transposeB) {
    da = matMul(dy, b, { transposeB: true });
    db = matMul(a, dy, { transposeA: true });
  } else if (!transposeA && transposeB) {
    da = matMul(dy, b);
    db = matMul(dy, a, { transposeA: true });
  } else if (transposeA && !transposeB) {
    da = matMul(b, dy, { transposeB: true });
    db = matMul(a, dy);
  } else {
    da = matMul(b, dy, { transposeA: true, transposeB: true });
    db = matMul(dy, a, { transposeA: true, transposeB: true });
  }
  return { a: unbroadcastBatch(da, a), b: unbroadcastBatch(db, b) };
};
