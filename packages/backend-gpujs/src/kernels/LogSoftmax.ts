// The LogSoftmax kernel along the last axis.
import type { KernelFunc } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { softmaxLastAxis } from './util/softmax.js';

/** Log-softmax along the last axis. */
export const logSoftmax: KernelFunc<'LogSoftmax', GpujsBackend> = ({ x }, _attrs, backend) => ({
  y: softmaxLastAxis(backend, x, true),
});
