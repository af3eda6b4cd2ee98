/**
 * Gradient checks of `Slice`: slices of any rank, against central finite differences. One file per kernel,
 * like the kernel cases in `../kernels/`.
 */
import type { Tensor } from '@rnnkit/core';
import { slice } from '@rnnkit/core';
import { rngFor, shapeText, uniformTensor } from '@rnnkit/testing';
import * as fc from 'fast-check';
import { type AddCheck, seedArb, shapeArb } from './domains.js';

/** The gradient checks of slices of any rank. */
export function sliceGradientChecks(add: AddCheck): void {
  add(
    'slice',
    fc.record({ shape: shapeArb(1, 3), seed: seedArb }).map(({ shape, seed }) => {
      const rng = rngFor(seed);
      const begin = shape.map((d) => rng.int(d));
      const size = shape.map((d, i) => 1 + rng.int(d - begin[i]));
      return {
        label: `slice ${shapeText(shape)} begin=${shapeText(begin)} size=${shapeText(size)}`,
        inputs: [uniformTensor(rng, shape, 'float64')],
        seed,
        f: (x: Tensor) => slice(x, begin, size),
      };
    }),
  );
}
