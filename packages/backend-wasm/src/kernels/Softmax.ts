// The Softmax kernel along the last axis (assembly/Softmax.ts).
import type { KernelFunc } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { softmaxKernel } from './util/softmax.js';

/** Softmax along the last axis (max-subtracted, vector exp, f64 row sums). */
export const softmax: KernelFunc<'Softmax', WasmBackend> = softmaxKernel<'Softmax'>(false);
