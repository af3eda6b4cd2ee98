/**
 * Gradient checks of the view ops: reshape, expandDims, squeeze and clone (views and copies: no kernel of their own), against central finite differences. One file per kernel,
 * like the kernel cases in `../kernels/`.
 */
import type { Tensor } from '@rnnkit/core';
import { clone, expandDims, mul, reshape, squeeze, tensor } from '@rnnkit/core';
import { shapeText } from '@rnnkit/testing';
import * as fc from 'fast-check';
import { type AddCheck, seedArb, shapeArb, U } from './domains.js';

/** The gradient checks of reshape, expandDims, squeeze and clone (views and copies: no kernel of their own). */
export function viewsGradientChecks(add: AddCheck): void {
  add(
    'reshape-expandDims-squeeze-clone',
    fc.record({ shape: shapeArb(1, 3), seed: seedArb }).map(({ shape, seed }) => ({
      label: `views of ${shapeText(shape)}`,
      inputs: [U(-1, 1)(seed, shape)],
      seed,
      // Scale by the position so the views' index bookkeeping is visible in the gradient.
      f: (x: Tensor) => {
        const flat = reshape(clone(squeeze(expandDims(x, 0), 0)), [-1]);
        const ramp = tensor(
          Float64Array.from({ length: flat.size }, (_, i) => i + 1),
          [flat.size],
          'float64',
        );
        return mul(flat, ramp);
      },
    })),
  );
}
