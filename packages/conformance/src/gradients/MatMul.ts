/**
 * Gradient checks of `MatMul`: matrix products with every transpose and batch broadcasting, against central finite differences. One file per kernel,
 * like the kernel cases in `../kernels/`.
 */
import type { Tensor } from '@rnnkit/core';
import { matMul } from '@rnnkit/core';
import { rngFor, shapeText, uniformTensor } from '@rnnkit/testing';
import * as fc from 'fast-check';
import { type AddCheck, dimArb, seedArb } from './domains.js';

/** The gradient checks of matrix products with every transpose and batch broadcasting. */
export function matMulGradientChecks(add: AddCheck): void {
  add(
    'matMul',
    fc
      .record({
        M: dimArb,
        K: dimArb,
        N: dimArb,
        tA: fc.boolean(),
        tB: fc.boolean(),
        batch: fc.constantFrom(0, 0, 1, 2, 3),
        bcast: fc.constantFrom('none', 'a', 'b'),
        seed: seedArb,
      })
      .map(({ M, K, N, tA, tB, batch, bcast, seed }) => {
        const rng = rngFor(seed);
        const ba = batch === 0 ? [] : [bcast === 'a' ? 1 : batch];
        const bb = batch === 0 ? [] : [bcast === 'b' ? 1 : batch];
        const a = uniformTensor(rng, [...ba, ...(tA ? [K, M] : [M, K])], 'float64');
        const b = uniformTensor(rng, [...bb, ...(tB ? [N, K] : [K, N])], 'float64');
        return {
          label: `matMul ${shapeText(a.shape)} x ${shapeText(b.shape)} tA=${tA} tB=${tB}`,
          inputs: [a, b],
          seed,
          f: (x: Tensor, y: Tensor) => matMul(x, y, { transposeA: tA, transposeB: tB }),
        };
      }),
  );
}
