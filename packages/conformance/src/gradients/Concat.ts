/**
 * Gradient checks of `Concat`: concatenation along any axis, against central finite differences. One file per kernel,
 * like the kernel cases in `../kernels/`.
 */
import type { Tensor } from '@rnnkit/core';
import { concat } from '@rnnkit/core';
import { rngFor, shapeText, uniformTensor } from '@rnnkit/testing';
import * as fc from 'fast-check';
import { type AddCheck, dimArb, seedArb, shapeArb } from './domains.js';

/** The gradient checks of concatenation along any axis. */
export function concatGradientChecks(add: AddCheck): void {
  add(
    'concat',
    fc
      .record({
        shape: shapeArb(1, 3),
        parts: fc.array(dimArb, { minLength: 1, maxLength: 3 }),
        seed: seedArb,
      })
      .chain(({ shape, parts, seed }) =>
        fc.nat(shape.length - 1).map((axis) => {
          const rng = rngFor(seed);
          const inputs = parts.map((p) =>
            uniformTensor(
              rng,
              shape.map((d, i) => (i === axis ? p : d)),
              'float64',
            ),
          );
          return {
            label: `concat ${inputs.map((t) => shapeText(t.shape)).join(' + ')} axis=${axis}`,
            inputs,
            seed,
            f: (...xs: Tensor[]) => concat(xs, axis),
          };
        }),
      ),
  );
}
