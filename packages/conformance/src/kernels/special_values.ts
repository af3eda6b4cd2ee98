/**
 * Kernel cases on special values every backend must treat like the reference: NaN, ±Infinity,
 * signed zeros, subnormals, overflow, in casts, reductions and ArgMax.
 */
import type { DType } from '@rnnkit/core';
import { type HostTensor, hostTensor } from '@rnnkit/testing';
import { oracleArgMax, oracleCast, oracleReduce } from '../oracle.js';
import { kernelTolerance } from '../tolerances.js';
import { type CasePush, exact, type FloatDType } from './domains.js';

/** Ordinary, huge, tiny and non-finite values (1e-40 is subnormal in float32). */
export const SPECIAL_VALUES = [
  0,
  -0,
  1,
  -1,
  0.5,
  -2.5,
  3.7,
  1e-3,
  -1e-3,
  20,
  -20,
  90,
  -90,
  1e30,
  -1e30,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1e-40,
];

const vector = (dtype: DType, values: number[]): HostTensor =>
  hostTensor([values.length], dtype, values);

/** Every special-value case of one float dtype (draws nothing from the seeded generator). */
export function specialValueCases(dtype: FloatDType, push: CasePush): void {
  // Truncation toward zero, int32 range limits and beyond.
  const c = vector(dtype, [...SPECIAL_VALUES, 2.9, -2.9, 3e9, -3e9, 2147483647, 1e10]);
  for (const to of ['int32', 'float32', 'float64'] as DType[]) {
    push({
      id: `kernel/Cast/${dtype}/to-${to}/specials`,
      kernel: 'Cast',
      dtypes: [dtype, to],
      inputs: { x: c },
      attrs: { dtype: to },
      oracle: () => ({ y: { tensor: oracleCast(c, to), tolerance: 0 } }),
      tolerance: exact(),
    });
  }
  // One NaN in a [3, 4] matrix, reduced along the row that holds it and across rows.
  const m = hostTensor([3, 4], dtype, [0.5, -1, 2, 3, 1.5, Number.NaN, -2, 0.25, 4, -3, 1, -0.5]);
  for (const op of ['sum', 'max', 'min'] as const) {
    for (const axes of [[0], [1]]) {
      const attrs = { op, axes, keepDims: false };
      const t = () => (op === 'sum' ? kernelTolerance(dtype, 4, 0) : 0);
      push({
        id: `kernel/Reduce/${dtype}/${op}/[3, 4]/axes=[${axes}]/nan`,
        kernel: 'Reduce',
        dtypes: [dtype],
        inputs: { x: m },
        attrs,
        oracle: () => ({ y: { tensor: oracleReduce(m, attrs), tolerance: t() } }),
        tolerance: () => ({ y: { tolerance: t() } }),
      });
    }
  }
  for (const axis of [0, 1]) {
    push({
      id: `kernel/ArgMax/${dtype}/[3, 4]/axis=${axis}/nan`,
      kernel: 'ArgMax',
      dtypes: [dtype, 'int32'],
      inputs: { x: m },
      attrs: { axis },
      oracle: () => ({ y: { tensor: oracleArgMax(m, axis), tolerance: 0 } }),
      tolerance: exact(),
    });
  }
}
