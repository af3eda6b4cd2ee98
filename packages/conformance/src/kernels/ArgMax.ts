/**
 * Kernel cases of `ArgMax`: every axis; ties resolved to the first index.
 */
import type { Random } from '@rnnkit/core';
import { type HostTensor, shapeText, uniformTensor } from '@rnnkit/testing';
import { oracleArgMax } from '../oracle.js';
import { type CasePush, exact, type FloatDType, grid } from './domains.js';

/** Adds the `ArgMax` case of `x` along `axis` (exact: an index is right or wrong). */
export function pushArgMaxCase(push: CasePush, x: HostTensor, axis: number, label = ''): void {
  push({
    id: `kernel/ArgMax/${x.dtype}/${shapeText(x.shape)}/axis=${axis}${label}`,
    kernel: 'ArgMax',
    dtypes: [...new Set([x.dtype, 'int32' as const])],
    inputs: { x },
    attrs: { axis },
    oracle: () => ({ y: { tensor: oracleArgMax(x, axis), tolerance: 0 } }),
    tolerance: exact(),
  });
}

/** `ArgMax` cases of one float dtype; `r3` is the rank-3 input (shared with Reduce). */
export function argMaxCases(rng: Random, dtype: FloatDType, push: CasePush, r3: HostTensor): void {
  for (const axis of [0, 1, 2]) pushArgMaxCase(push, r3, axis);
  pushArgMaxCase(push, uniformTensor(rng, [33], dtype), 0);
  pushArgMaxCase(push, uniformTensor(rng, [1], dtype), 0);
  pushArgMaxCase(push, grid(rng, [17, 3], dtype), 1, '/ties');
  pushArgMaxCase(push, grid(rng, [17, 33], dtype), 0, '/ties');
}
