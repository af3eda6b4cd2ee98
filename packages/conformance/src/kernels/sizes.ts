/**
 * Kernel cases at the size edges every backend must handle: empty dimensions, and products and
 * rows large enough to cross a backend's chunk, tile and SIMD-lane boundaries.
 */
import type { Random } from '@rnnkit/core';
import { uniformTensor } from '@rnnkit/testing';
import type { CasePush, FloatDType } from './domains.js';
import { pushMatMulCase } from './MatMul.js';
import { pushSoftmaxCase } from './Softmax.js';

/** Size-edge cases of one float dtype. */
export function sizeEdgeCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  // [M, K, N]: one empty dimension each; then several depth and row chunks, skinny and deep.
  for (const [M, K, N] of [
    [0, 3, 4],
    [3, 0, 4],
    [3, 4, 0],
    [32, 128, 512],
    [300, 600, 70],
    [129, 257, 9],
    [5, 1000, 3],
  ]) {
    for (const tB of [false, true]) {
      const a = uniformTensor(rng, [M, K], dtype);
      const b = uniformTensor(rng, tB ? [N, K] : [K, N], dtype);
      pushMatMulCase(push, dtype, a, b, false, tB);
    }
  }
  for (const kernel of ['Softmax', 'LogSoftmax'] as const) {
    pushSoftmaxCase(push, dtype, kernel, uniformTensor(rng, [4, 1000], dtype, -10, 10), '/long');
    // A row of -Infinity logits but one, and a logit of 1e30 in the next row.
    const x = uniformTensor(rng, [3, 5], dtype, -10, 10);
    for (let i = 5; i < 9; i++) x.values[i] = Number.NEGATIVE_INFINITY;
    x.values[11] = 1e30;
    pushSoftmaxCase(push, dtype, kernel, x, '/specials');
  }
}
