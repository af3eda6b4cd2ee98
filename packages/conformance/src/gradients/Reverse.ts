/**
 * Gradient checks of `Reverse`: reversal along axis subsets, against central finite differences. One file per kernel,
 * like the kernel cases in `../kernels/`.
 */
import type { Tensor } from '@rnnkit/core';
import { reverse } from '@rnnkit/core';
import { shapeText } from '@rnnkit/testing';
import * as fc from 'fast-check';
import { type AddCheck, axesArb, seedArb, shapeArb, U } from './domains.js';

/** The gradient checks of reversal along axis subsets. */
export function reverseGradientChecks(add: AddCheck): void {
  add(
    'reverse',
    shapeArb(1, 3)
      .chain((shape) =>
        fc.record({ shape: fc.constant(shape), axes: axesArb(shape), seed: seedArb }),
      )
      .map(({ shape, axes, seed }) => ({
        label: `reverse ${shapeText(shape)} axes=${shapeText(axes)}`,
        inputs: [U(-1, 1)(seed, shape)],
        seed,
        f: (x: Tensor) => (axes.length === 0 ? reverse(x, []) : reverse(x, axes)),
      })),
  );
}
