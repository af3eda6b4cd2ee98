// The Softmax kernel along the last axis.
import type { KernelFunc } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { softmaxLastAxis } from './util/softmax.js';

/** Softmax along the last axis. */
export const softmax: KernelFunc<'Softmax', GpujsBackend> = ({ x }, _attrs, backend) => ({
  y: softmaxLastAxis(backend, x, false),
});
