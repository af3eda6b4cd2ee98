/**
 * Kernel cases of `Slice`: random blocks of ranks 1 to 4, the whole tensor, and an empty block.
 */
import type { Random, Shape } from '@rnnkit/core';
import { shapeText, uniformTensor } from '@rnnkit/testing';
import { oracleSlice } from '../oracle.js';
import { type CasePush, exact, type FloatDType } from './domains.js';

/** `Slice` cases of one float dtype. */
export function sliceCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  const sliceCase = (shape: Shape, begin: number[], size: number[]) => {
    const x = uniformTensor(rng, shape, dtype);
    push({
      id: `kernel/Slice/${dtype}/${shapeText(shape)}/begin=${shapeText(begin)}/size=${shapeText(size)}`,
      kernel: 'Slice',
      dtypes: [dtype],
      inputs: { x },
      attrs: { begin, size },
      oracle: () => ({ y: { tensor: oracleSlice(x, begin, size), tolerance: 0 } }),
      tolerance: exact(),
    });
  };
  for (const shape of [[33], [3, 17], [3, 17, 33], [1, 3, 17, 3]] as Shape[]) {
    const begin = shape.map((d) => rng.int(d));
    const size = shape.map((d, i) => 1 + rng.int(d - begin[i]));
    sliceCase(shape, begin, size);
  }
  sliceCase([3, 17, 33], [0, 0, 0], [3, 17, 33]);
  sliceCase([3, 17], [1, 5], [2, 0]);
}
