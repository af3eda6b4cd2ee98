/**
 * Kernel cases of `Concat`: 1 to 3 inputs along each axis.
 */
import type { Random, Shape } from '@rnnkit/core';
import { shapeText, uniformTensor } from '@rnnkit/testing';
import { oracleConcat } from '../oracle.js';
import { type CasePush, exact, type FloatDType } from './domains.js';

/** `Concat` cases of one float dtype. */
export function concatCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  for (const [shapes, axis] of [
    [
      [
        [3, 17],
        [1, 17],
      ],
      0,
    ],
    [
      [
        [3, 1],
        [3, 17],
        [3, 3],
      ],
      1,
    ],
    [
      [
        [2, 3, 1],
        [2, 3, 33],
      ],
      2,
    ],
    [[[17], [33], [1]], 0],
    [[[17, 3]], 0],
    [
      [
        [3, 17, 3],
        [3, 1, 3],
      ],
      1,
    ],
  ] as [Shape[], number][]) {
    const xs = shapes.map((s) => uniformTensor(rng, s, dtype));
    push({
      id: `kernel/Concat/${dtype}/${shapes.map(shapeText).join('+')}/axis=${axis}`,
      kernel: 'Concat',
      dtypes: [dtype],
      inputs: { xs },
      attrs: { axis },
      oracle: () => ({ y: { tensor: oracleConcat(xs, axis), tolerance: 0 } }),
      tolerance: exact(),
    });
  }
}
