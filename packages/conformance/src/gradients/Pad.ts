/**
 * Gradient checks of `Pad`: constant padding on every axis, against central finite differences. One file per kernel,
 * like the kernel cases in `../kernels/`.
 */
import type { Tensor } from '@rnnkit/core';
import { pad } from '@rnnkit/core';
import { rngFor, shapeText, uniformTensor } from '@rnnkit/testing';
import * as fc from 'fast-check';
import { type AddCheck, seedArb, shapeArb } from './domains.js';

/** The gradient checks of constant padding on every axis. */
export function padGradientChecks(add: AddCheck): void {
  add(
    'pad',
    fc.record({ shape: shapeArb(1, 3), seed: seedArb }).map(({ shape, seed }) => {
      const rng = rngFor(seed);
      const paddings = shape.map(() => [rng.int(3), rng.int(3)] as const);
      return {
        label: `pad ${shapeText(shape)} ${JSON.stringify(paddings)}`,
        inputs: [uniformTensor(rng, shape, 'float64')],
        seed,
        f: (x: Tensor) => pad(x, paddings, 0.5),
      };
    }),
  );
}
