/**
 * Gradient checks of `Stack`: stacking along a new axis, against central finite differences. One file per kernel,
 * like the kernel cases in `../kernels/`.
 */
import type { Tensor } from '@rnnkit/core';
import { stack } from '@rnnkit/core';
import { rngFor, shapeText, uniformTensor } from '@rnnkit/testing';
import * as fc from 'fast-check';
import { type AddCheck, seedArb, shapeArb } from './domains.js';

/** The gradient checks of stacking along a new axis. */
export function stackGradientChecks(add: AddCheck): void {
  add(
    'stack',
    fc
      .record({ shape: shapeArb(0, 2), n: fc.constantFrom(1, 2, 3), seed: seedArb })
      .chain(({ shape, n, seed }) =>
        fc.nat(shape.length).map((axis) => {
          const rng = rngFor(seed);
          const inputs = Array.from({ length: n }, () => uniformTensor(rng, shape, 'float64'));
          return {
            label: `stack ${n} x ${shapeText(shape)} axis=${axis}`,
            inputs,
            seed,
            f: (...xs: Tensor[]) => stack(xs, axis),
          };
        }),
      ),
  );
}
