/**
 * Kernel cases of `Reverse` over axis subsets.
 */
import type { Random, Shape } from '@rnnkit/core';
import { shapeText, uniformTensor } from '@rnnkit/testing';
import { oracleReverse } from '../oracle.js';
import { type CasePush, exact, type FloatDType } from './domains.js';

/** `Reverse` cases of one float dtype. */
export function reverseCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  for (const [shape, axes] of [
    [[33], [0]],
    [[3, 17, 33], [0]],
    [[3, 17, 33], [2]],
    [
      [3, 17, 33],
      [0, 2],
    ],
    [
      [3, 17, 33],
      [1, 2],
    ],
    [
      [3, 17, 33],
      [0, 1, 2],
    ],
    [[3, 17], []],
    [[1], [0]],
  ] as [Shape, number[]][]) {
    const x = uniformTensor(rng, shape, dtype);
    push({
      id: `kernel/Reverse/${dtype}/${shapeText(shape)}/axes=${shapeText(axes)}`,
      kernel: 'Reverse',
      dtypes: [dtype],
      inputs: { x },
      attrs: { axes },
      oracle: () => ({ y: { tensor: oracleReverse(x, axes), tolerance: 0 } }),
      tolerance: exact(),
    });
  }
}
