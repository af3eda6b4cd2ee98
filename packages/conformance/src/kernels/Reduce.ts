/**
 * Kernel cases of `Reduce`: every op over every axis subset of a rank-3 tensor, keepDims both ways, plus rank 1, a single element and an empty axis.
 */
import type { Random, ReduceOp } from '@rnnkit/core';
import { type HostTensor, hostTensor, shapeText, uniformTensor } from '@rnnkit/testing';
import { oracleReduce } from '../oracle.js';
import { kernelTolerance } from '../tolerances.js';
import type { CasePush, FloatDType } from './domains.js';

/**
 * Adds the `Reduce` case of `op` over `axes` of `x`: a sum is held to the bound of its number
 * of terms, scaled by the sum of their magnitudes; max and min are exact (they round nothing).
 */
export function pushReduceCase(
  push: CasePush,
  x: HostTensor,
  op: ReduceOp,
  axes: number[],
  keepDims: boolean,
  label = '',
): void {
  const attrs = { op, axes, keepDims };
  const terms = axes.reduce((n, a) => n * x.shape[a], 1);
  const absX = hostTensor(x.shape, 'float64', Array.from(x.values, Math.abs));
  const scale = () => (op === 'sum' ? Math.max(1, ...oracleReduce(absX, attrs).values) : undefined);
  const t = () => (op === 'sum' ? kernelTolerance(x.dtype, terms, 0) : 0);
  push({
    id: `kernel/Reduce/${x.dtype}/${op}/${shapeText(x.shape)}/axes=${shapeText(axes)}${keepDims ? '/keepDims' : ''}${label}`,
    kernel: 'Reduce',
    dtypes: [x.dtype],
    inputs: { x },
    attrs,
    oracle: () => ({ y: { tensor: oracleReduce(x, attrs), tolerance: t(), scale: scale() } }),
    tolerance: () => ({ y: { tolerance: t(), scale: scale() } }),
  });
}

/** `Reduce` cases of one float dtype; `r3` is the rank-3 input (shared with ArgMax). */
export function reduceCases(rng: Random, dtype: FloatDType, push: CasePush, r3: HostTensor): void {
  // Max and min give -Infinity and +Infinity over an empty axis.
  for (const op of ['sum', 'max', 'min'] as const) {
    for (const axes of [[], [0], [1], [2], [0, 2], [1, 2], [0, 1, 2]]) {
      for (const keepDims of [false, true]) pushReduceCase(push, r3, op, axes, keepDims);
    }
    pushReduceCase(push, uniformTensor(rng, [33], dtype), op, [0], false);
    pushReduceCase(push, uniformTensor(rng, [1], dtype), op, [0], true);
    pushReduceCase(push, hostTensor([3, 0], dtype, []), op, [1], false);
  }
}
