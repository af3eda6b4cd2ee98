/**
 * Gradient checks of `Split`: splitting along an axis into pieces, against central finite differences. One file per kernel,
 * like the kernel cases in `../kernels/`.
 */
import type { Tensor } from '@rnnkit/core';
import { concat, mul, reshape, split } from '@rnnkit/core';
import { rngFor, shapeText, uniformTensor } from '@rnnkit/testing';
import * as fc from 'fast-check';
import { type AddCheck, seedArb, shapeArb } from './domains.js';

/** The gradient checks of splitting along an axis into pieces. */
export function splitGradientChecks(add: AddCheck): void {
  add(
    'split',
    fc.record({ shape: shapeArb(1, 3), seed: seedArb }).chain(({ shape, seed }) =>
      fc.nat(shape.length - 1).map((axis) => {
        const rng = rngFor(seed);
        const sizes: number[] = [];
        for (let left = shape[axis]; left > 0; ) {
          const s = 1 + rng.int(left);
          sizes.push(s);
          left -= s;
        }
        return {
          label: `split ${shapeText(shape)} sizes=${shapeText(sizes)} axis=${axis}`,
          inputs: [uniformTensor(rng, shape, 'float64')],
          seed,
          // Each part scaled differently, so that a gradient routed to the wrong part shows.
          f: (x: Tensor) =>
            concat(
              split(x, sizes, axis).map((p, i) => reshape(mul(p, i + 1), [-1])),
              0,
            ),
        };
      }),
    ),
  );
}
