/**
 * Softmax and log-softmax along the last axis, shared by the two kernels.
 */
import type { Shape } from '@rnnkit/core';
import type { FloatArray } from './float.js';

/**
 * Softmax (or log-softmax) along the last axis of `shape`, max-subtracted so `exp` never
 * overflows. Shared by the Softmax and LogSoftmax kernels, which differ only in the last step.
 */
export function softmaxLastAxis(x: FloatArray, y: FloatArray, shape: Shape, log: boolean): void {
  const n = shape.length === 0 ? 1 : shape[shape.length - 1];
  const rows = n === 0 ? 0 : x.length / n;
  for (let r = 0; r < rows; r++) {
    const start = r * n;
    const end = start + n;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = start; i < end; i++) if (x[i] > max) max = x[i];
    let sum = 0;
    for (let i = start; i < end; i++) sum += Math.exp(x[i] - max);
    if (log) {
      const logSum = Math.log(sum) + max;
      for (let i = start; i < end; i++) y[i] = x[i] - logSum;
    } else {
      for (let i = start; i < end; i++) y[i] = Math.exp(x[i] - max) / sum;
    }
  }
}
