/**
 * Kernel cases of `OneHot`, with out-of-range indices (zero rows).
 */
import type { Random } from '@rnnkit/core';
import { type HostTensor, hostTensor, intTensor, shapeText } from '@rnnkit/testing';
import { oracleOneHot } from '../oracle.js';
import { type CasePush, exact, type FloatDType } from './domains.js';

/** `OneHot` cases producing one float dtype. */
export function oneHotCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  for (const [indices, depth] of [
    [
      hostTensor(
        [17],
        'int32',
        Array.from({ length: 17 }, (_, i) => (i % 7) - 1),
      ),
      5,
    ],
    [intTensor(rng, [3, 4], 0, 1), 1],
    [intTensor(rng, [3], 0, 33), 33],
  ] as [HostTensor, number][]) {
    push({
      id: `kernel/OneHot/${dtype}/${shapeText(indices.shape)}/depth=${depth}`,
      kernel: 'OneHot',
      dtypes: [dtype, 'int32'],
      inputs: { indices },
      attrs: { depth, dtype },
      oracle: () => ({ y: { tensor: oracleOneHot(indices, depth, dtype), tolerance: 0 } }),
      tolerance: exact(),
    });
  }
}
