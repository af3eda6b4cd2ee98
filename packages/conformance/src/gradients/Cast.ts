/**
 * Gradient checks of `Cast`: the float64 → float32 → float64 round trip (its gradient is the identity), against central finite differences. One file per kernel,
 * like the kernel cases in `../kernels/`.
 */
import type { Tensor } from '@rnnkit/core';
import { cast } from '@rnnkit/core';
import { shapeText } from '@rnnkit/testing';
import * as fc from 'fast-check';
import { type AddCheck, seedArb, shapeArb, U } from './domains.js';

/** The gradient checks of the float64 → float32 → float64 round trip (its gradient is the identity). */
export function castGradientChecks(add: AddCheck): void {
  add(
    'cast/float64-to-float32-and-back',
    fc.record({ shape: shapeArb(1, 2), seed: seedArb }).map(({ shape, seed }) => ({
      label: `cast ${shapeText(shape)}`,
      inputs: [U(-2, 2)(seed, shape)],
      seed,
      // The round trip through float32 is linear between float32 grid points, but each point
      // moves by up to 6e-8·|x|: a large step (0.25) keeps that below 1e-6 of the slope.
      step: 0.25,
      f: (x: Tensor) => cast(cast(x, 'float32'), 'float64'),
    })),
  );
}
