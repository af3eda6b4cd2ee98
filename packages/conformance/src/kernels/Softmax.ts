/**
 * Kernel cases of `Softmax` and `LogSoftmax` along the last axis, including large logits (stability).
 */
import type { Random, Shape } from '@rnnkit/core';
import { shapeText, uniformTensor } from '@rnnkit/testing';
import { oracleSoftmax } from '../oracle.js';
import { kernelTolerance, type Tolerances } from '../tolerances.js';
import type { CasePush, FloatDType } from './domains.js';

/** `Softmax` and `LogSoftmax` cases of one float dtype. */
export function softmaxCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  for (const kernel of ['Softmax', 'LogSoftmax'] as const) {
    for (const [shape, range] of [
      [[33], 3],
      [[3, 17], 3],
      [[17, 3], 3],
      [[2, 3, 33], 3],
      [[1], 3],
      [[3, 17], 60],
    ] as [Shape, number][]) {
      const x = uniformTensor(rng, shape, dtype, -range, range);
      const n = shape[shape.length - 1];
      const t = (tol: Tolerances) => kernelTolerance(dtype, n, 4 + 2 * tol.transcendentalUlps);
      push({
        id: `kernel/${kernel}/${dtype}/${shapeText(shape)}/range=${range}`,
        kernel,
        dtypes: [dtype],
        inputs: { x },
        attrs: {},
        oracle: (tol) => ({
          y: { tensor: oracleSoftmax(x, kernel === 'LogSoftmax'), tolerance: t(tol) },
        }),
        tolerance: (tol) => ({ y: { tolerance: t(tol) } }),
      });
    }
  }
}
