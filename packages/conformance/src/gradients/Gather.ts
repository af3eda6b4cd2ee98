/**
 * Gradient checks of `Gather`: gather along an axis, with repeated indices, against central finite differences. One file per kernel,
 * like the kernel cases in `../kernels/`.
 */
import type { Tensor } from '@rnnkit/core';
import { gather } from '@rnnkit/core';
import { intTensor, rngFor, shapeText, uniformTensor } from '@rnnkit/testing';
import * as fc from 'fast-check';
import { type AddCheck, seedArb, shapeArb } from './domains.js';

/** The gradient checks of gather along an axis, with repeated indices. */
export function gatherGradientChecks(add: AddCheck): void {
  add(
    'gather',
    fc
      .record({ shape: shapeArb(1, 3), nIdx: fc.constantFrom(1, 3, 5), seed: seedArb })
      .chain(({ shape, nIdx, seed }) =>
        fc.nat(shape.length - 1).map((axis) => {
          const rng = rngFor(seed);
          const indices = intTensor(rng, [nIdx], 0, shape[axis]);
          return {
            label: `gather ${shapeText(shape)} axis=${axis} indices=${shapeText(Array.from(indices.values))}`,
            inputs: [uniformTensor(rng, shape, 'float64'), indices],
            seed,
            f: (x: Tensor, i: Tensor) => gather(x, i, axis),
          };
        }),
      ),
  );
}
