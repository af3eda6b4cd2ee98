// The Jacobian-norm measurement against a brute-force Jacobian, one row per backward pass.
import '@rnnkit/backend-cpu';
import {
  grad,
  mul,
  randomNormal,
  setBackend,
  setSeed,
  sum,
  type Tensor,
  tensor,
} from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshCell, JACOBIAN_CELLS, jacobianNorms } from '../src/gradient_norms.js';

beforeAll(async () => {
  await setBackend('cpu');
});

/** ‖∂h_T/∂x_t‖_F per step, averaged over sequences, with one backward pass per (sequence, j). */
function bruteForce(cell: (typeof JACOBIAN_CELLS)[number], seed: number): number[] {
  const [S, T, I, H] = [2, 5, 3, 4];
  const layer = freshCell(cell, I, H, 7);
  setSeed(seed);
  const x = randomNormal([S, 1, T, I]).dataSync();
  const norms = new Array<number>(T).fill(0);
  for (let s = 0; s < S; s++) {
    const squares = new Array<number>(T).fill(0);
    for (let j = 0; j < H; j++) {
      const e = tensor(
        Array.from({ length: H }, (_, k) => (k === j ? 1 : 0)),
        [1, 1, H],
      );
      const g = grad((seq: Tensor) => sum(mul(layer.forward(seq).hN, e)))(
        tensor(x.slice(s * T * I, (s + 1) * T * I), [1, T, I]),
      ).dataSync();
      for (let t = 0; t < T; t++) for (let i = 0; i < I; i++) squares[t] += g[t * I + i] ** 2;
    }
    for (let t = 0; t < T; t++) norms[t] += Math.sqrt(squares[t]) / S;
  }
  return norms;
}

describe('jacobianNorms', () => {
  it.each(JACOBIAN_CELLS)('%s: equals the brute-force Jacobian norm of every step', (cell) => {
    setSeed(3);
    const measured = jacobianNorms(freshCell(cell, 3, 4, 7), { steps: 5, input: 3, sequences: 2 });
    const expected = bruteForce(cell, 3);
    expect(measured).toHaveLength(5);
    // float32 sums of the same products in another order: relative 1e-5
    measured.forEach((v, t) =>
      expect(Math.abs(v - expected[t])).toBeLessThan(1e-5 * expected[t] + 1e-7),
    );
  });

  it('shows a SimpleRNN gradient vanishing with distance from the last step', () => {
    setSeed(0);
    const norms = jacobianNorms(freshCell('SimpleRNN', 8, 32, 1), { steps: 60 });
    expect(norms[0]).toBeLessThan(norms[59] * 1e-3);
  });
});
