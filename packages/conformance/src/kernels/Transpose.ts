/**
 * Kernel cases of `Transpose` over ranks 2 to 4, identity included.
 */
import type { Random, Shape } from '@rnnkit/core';
import { shapeText, uniformTensor } from '@rnnkit/testing';
import { oracleTranspose } from '../oracle.js';
import { type CasePush, exact, type FloatDType } from './domains.js';

/** `Transpose` cases of one float dtype. */
export function transposeCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  for (const [shape, perm] of [
    [
      [3, 17],
      [1, 0],
    ],
    [
      [3, 17, 33],
      [2, 0, 1],
    ],
    [
      [3, 17, 33],
      [1, 2, 0],
    ],
    [
      [3, 17, 33],
      [0, 2, 1],
    ],
    [
      [3, 17, 33],
      [0, 1, 2],
    ],
    [
      [1, 3, 17, 3],
      [3, 1, 0, 2],
    ],
  ] as [Shape, number[]][]) {
    const x = uniformTensor(rng, shape, dtype);
    push({
      id: `kernel/Transpose/${dtype}/${shapeText(shape)}/perm=${shapeText(perm)}`,
      kernel: 'Transpose',
      dtypes: [dtype],
      inputs: { x },
      attrs: { perm },
      oracle: () => ({ y: { tensor: oracleTranspose(x, perm), tolerance: 0 } }),
      tolerance: exact(),
    });
  }
}
