/**
 * Gradient checks of `ScatterAdd`: scatter-add along an axis, with repeated indices, against central finite differences. One file per kernel,
 * like the kernel cases in `../kernels/`.
 */
import type { Tensor } from '@rnnkit/core';
import { scatterAdd } from '@rnnkit/core';
import { intTensor, rngFor, shapeText, uniformTensor } from '@rnnkit/testing';
import * as fc from 'fast-check';
import { type AddCheck, seedArb, shapeArb } from './domains.js';

/** The gradient checks of scatter-add along an axis, with repeated indices. */
export function scatterAddGradientChecks(add: AddCheck): void {
  add(
    'scatterAdd',
    fc
      .record({ shape: shapeArb(1, 3), nIdx: fc.constantFrom(1, 3, 5), seed: seedArb })
      .chain(({ shape, nIdx, seed }) =>
        fc.nat(shape.length - 1).map((axis) => {
          const rng = rngFor(seed);
          const indices = intTensor(rng, [nIdx], 0, shape[axis]);
          const upShape = [...shape.slice(0, axis), nIdx, ...shape.slice(axis + 1)];
          return {
            label: `scatterAdd into ${shapeText(shape)} axis=${axis} indices=${shapeText(Array.from(indices.values))}`,
            inputs: [uniformTensor(rng, upShape, 'float64'), indices],
            seed,
            f: (u: Tensor, i: Tensor) => scatterAdd(u, i, shape, axis),
          };
        }),
      ),
  );
}
