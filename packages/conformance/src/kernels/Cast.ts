/**
 * Kernel cases of `Cast`: to the other float dtype and to int32 (truncation toward zero), and from int32.
 */
import type { DType, Random, Shape } from '@rnnkit/core';
import { intTensor, shapeText, uniformTensor } from '@rnnkit/testing';
import { oracleCast } from '../oracle.js';
import { type CasePush, exact, type FloatDType } from './domains.js';

/** `Cast` cases from and to one float dtype. */
export function castCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  const other = dtype === 'float32' ? 'float64' : 'float32';
  for (const to of [other, 'int32'] as DType[]) {
    for (const shape of [[17, 3], [1]] as Shape[]) {
      const x = uniformTensor(rng, shape, dtype, -10, 10);
      push({
        id: `kernel/Cast/${dtype}/to-${to}/${shapeText(shape)}`,
        kernel: 'Cast',
        dtypes: [dtype, to],
        inputs: { x },
        attrs: { dtype: to },
        oracle: () => ({ y: { tensor: oracleCast(x, to), tolerance: 0 } }),
        tolerance: exact(),
      });
    }
  }
  {
    const x = intTensor(rng, [3, 17], -1000, 1000);
    push({
      id: `kernel/Cast/int32/to-${dtype}/[3, 17]`,
      kernel: 'Cast',
      dtypes: ['int32', dtype],
      inputs: { x },
      attrs: { dtype },
      oracle: () => ({ y: { tensor: oracleCast(x, dtype), tolerance: 0 } }),
      tolerance: exact(),
    });
  }
}
