/**
 * Gradient checks of `Softmax`: softmax and logSoftmax along an axis, against central finite differences. One file per kernel,
 * like the kernel cases in `../kernels/`.
 */
import type { Tensor } from '@rnnkit/core';
import { logSoftmax, softmax } from '@rnnkit/core';
import { shapeText } from '@rnnkit/testing';
import * as fc from 'fast-check';
import { type AddCheck, seedArb, shapeArb, U } from './domains.js';

/** The gradient checks of softmax and logSoftmax along an axis. */
export function softmaxGradientChecks(add: AddCheck): void {
  for (const [name, op] of [
    ['softmax', softmax],
    ['logSoftmax', logSoftmax],
  ] as const) {
    add(
      name,
      fc.record({ shape: shapeArb(1, 3), seed: seedArb }).map(({ shape, seed }) => ({
        label: `${name} ${shapeText(shape)}`,
        inputs: [U(-3, 3)(seed, shape)],
        seed,
        f: (x: Tensor) => op(x),
      })),
    );
  }
}
