/**
 * Kernel cases of `ArgMax`: every axis; ties resolved to the first index.
 */
import type { Random } from '@rnnkit/core';
import { type HostTensor, shapeText, uniformTensor } from '@rnnkit/testing';
import { oracleArgMax } from '../oracle.js';
import { type CasePush, exact, type FloatDType, grid } from './domains.js';

/** `ArgMax` cases of one float dtype; `r3` is the rank-3 input (shared with Reduce). */
export function argMaxCases(rng: Random, dtype: FloatDType, push: CasePush, r3: HostTensor): void {
  const argMaxCase = (x: HostTensor, axis: number, label = '') =>
    push({
      id: `kernel/ArgMax/${dtype}/${shapeText(x.shape)}/axis=${axis}${label}`,
      kernel: 'ArgMax',
      dtypes: [dtype, 'int32'],
      inputs: { x },
      attrs: { axis },
      oracle: () => ({ y: { tensor: oracleArgMax(x, axis), tolerance: 0 } }),
      tolerance: exact(),
    });
  for (const axis of [0, 1, 2]) argMaxCase(r3, axis);
  argMaxCase(uniformTensor(rng, [33], dtype), 0);
  argMaxCase(uniformTensor(rng, [1], dtype), 0);
  argMaxCase(grid(rng, [17, 3], dtype), 1, '/ties');
  argMaxCase(grid(rng, [17, 33], dtype), 0, '/ties');
}
