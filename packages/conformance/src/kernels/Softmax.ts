/**
 * Kernel cases of `Softmax` and `LogSoftmax` along the last axis, including large logits (stability).
 */
import type { Random, Shape } from '@rnnkit/core';
import { type HostTensor, shapeText, uniformTensor } from '@rnnkit/testing';
import { oracleSoftmax } from '../oracle.js';
import { kernelTolerance, type Tolerances } from '../tolerances.js';
import type { CasePush, FloatDType } from './domains.js';

/** Adds the `kernel` case of `x`, held to the bound of a row-length sum plus the exp/log roundings. */
export function pushSoftmaxCase(
  push: CasePush,
  dtype: FloatDType,
  kernel: 'Softmax' | 'LogSoftmax',
  x: HostTensor,
  label: string,
): void {
  const n = x.shape[x.shape.length - 1] ?? 1;
  const t = (tol: Tolerances) => kernelTolerance(dtype, n, 4 + 2 * tol.transcendentalUlps);
  push({
    id: `kernel/${kernel}/${dtype}/${shapeText(x.shape)}${label}`,
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
      pushSoftmaxCase(push, dtype, kernel, x, `/range=${range}`);
    }
  }
}
