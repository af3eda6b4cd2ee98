/**
 * The `LogSoftmax` kernel of the cpu backend (one file per kernel).
 */
import type { KernelFunc } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import { floatArrayFor } from './util/float.js';
import { softmaxLastAxis } from './util/softmax.js';

/** Log-softmax along the last axis. */
export const logSoftmax: KernelFunc<'LogSoftmax', CpuBackend> = ({ x }, _attrs, backend) => {
  const xs = backend.floatValues(x);
  const ys = floatArrayFor(x.dtype, xs.length);
  softmaxLastAxis(xs, ys, x.shape, true);
  return { y: backend.make(ys, x.shape, x.dtype) };
};
