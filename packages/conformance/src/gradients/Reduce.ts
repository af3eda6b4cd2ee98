/**
 * Gradient checks of `Reduce`: sum, mean, max, min and logSumExp over any axes, with and without keepDims, against central finite differences. One file per kernel,
 * like the kernel cases in `../kernels/`.
 */
import type { Tensor } from '@rnnkit/core';
import { logSumExp, max, mean, min, sum } from '@rnnkit/core';
import { shapeText } from '@rnnkit/testing';
import * as fc from 'fast-check';
import { type AddCheck, axesArb, distinct, seedArb, shapeArb, U } from './domains.js';

/** The gradient checks of sum, mean, max, min and logSumExp over any axes, with and without keepDims. */
export function reduceGradientChecks(add: AddCheck): void {
  for (const [name, op] of [
    ['sum', sum],
    ['mean', mean],
    ['max', max],
    ['min', min],
    ['logSumExp', logSumExp],
  ] as const) {
    add(
      `reduce/${name}`,
      shapeArb(1, 3)
        .chain((shape) =>
          fc.record({
            shape: fc.constant(shape),
            axes: axesArb(shape),
            keepDims: fc.boolean(),
            seed: seedArb,
          }),
        )
        .map(({ shape, axes, keepDims, seed }) => ({
          label: `${name} ${shapeText(shape)} axes=${shapeText(axes)} keepDims=${keepDims}`,
          inputs: [
            name === 'max' || name === 'min' ? distinct(seed, shape) : U(-2, 2)(seed, shape),
          ],
          seed,
          f: (x: Tensor) =>
            axes.length === 0 && name !== 'logSumExp'
              ? op(x, undefined, keepDims)
              : op(x, axes, keepDims),
        })),
    );
  }
}
