/**
 * Gradient checks of `Transpose`: every permutation, against central finite differences. One file per kernel,
 * like the kernel cases in `../kernels/`.
 */
import type { Tensor } from '@rnnkit/core';
import { transpose } from '@rnnkit/core';
import { shapeText } from '@rnnkit/testing';
import * as fc from 'fast-check';
import { type AddCheck, seedArb, shapeArb, U } from './domains.js';

/** The gradient checks of every permutation. */
export function transposeGradientChecks(add: AddCheck): void {
  add(
    'transpose',
    shapeArb(1, 4)
      .chain((shape) =>
        fc.record({
          shape: fc.constant(shape),
          perm: fc.shuffledSubarray(
            shape.map((_, i) => i),
            { minLength: shape.length, maxLength: shape.length },
          ),
          seed: seedArb,
        }),
      )
      .map(({ shape, perm, seed }) => ({
        label: `transpose ${shapeText(shape)} perm=${shapeText(perm)}`,
        inputs: [U(-1, 1)(seed, shape)],
        seed,
        f: (x: Tensor) => transpose(x, perm),
      })),
  );
}
