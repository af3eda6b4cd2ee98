/**
 * Kernel cases of `Pad` with zero and non-zero values.
 */
import type { Random, Shape } from '@rnnkit/core';
import { shapeText, uniformTensor } from '@rnnkit/testing';
import { oraclePad } from '../oracle.js';
import { type CasePush, exact, type FloatDType } from './domains.js';

/** `Pad` cases of one float dtype. */
export function padCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  for (const [shape, paddings, value] of [
    [
      [3, 17],
      [
        [1, 2],
        [0, 3],
      ],
      0,
    ],
    [[33], [[3, 0]], 1.5],
    [
      [3, 1, 17],
      [
        [0, 0],
        [2, 2],
        [1, 0],
      ],
      -2,
    ],
    [[1], [[0, 0]], 0],
  ] as [Shape, [number, number][], number][]) {
    const x = uniformTensor(rng, shape, dtype);
    push({
      id: `kernel/Pad/${dtype}/${shapeText(shape)}/paddings=${JSON.stringify(paddings)}/value=${value}`,
      kernel: 'Pad',
      dtypes: [dtype],
      inputs: { x },
      attrs: { paddings, value },
      oracle: () => ({ y: { tensor: oraclePad(x, paddings, value), tolerance: 0 } }),
      tolerance: exact(),
    });
  }
}
