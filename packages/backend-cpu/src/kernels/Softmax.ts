/**
 * The `Softmax` kernel of the cpu backend (one file per kernel).
 */
import type { KernelFunc } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import { floatArrayFor } from './util/float.js';
import { softmaxLastAxis } from './util/softmax.js';

/** Softmax along the last axis. */
export const softmax: KernelFunc<'Softmax', CpuBackend> = ({ x }, _attrs, backend) => {
  const xs = backend.floatValues(x);
  const ys = floatArrayFor(x.dtype, xs.length);
  softmaxLastAxis(xs, ys, x.shape, false);
  return { y: backend.make(ys, x.shape, x.dtype) };
};
