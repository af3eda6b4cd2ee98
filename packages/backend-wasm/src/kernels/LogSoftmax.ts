// The LogSoftmax kernel along the last axis (assembly/Softmax.ts with the log flag).
import type { KernelFunc } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { softmaxKernel } from './util/softmax.js';

/** Log-softmax along the last axis (log-sum-exp). */
export const logSoftmax: KernelFunc<'LogSoftmax', WasmBackend> = softmaxKernel<'LogSoftmax'>(true);
