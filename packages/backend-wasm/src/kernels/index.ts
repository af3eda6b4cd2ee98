// The wasm backend's kernel table: one file per kernel, named after it.
import type { KernelTable } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { adamUpdate } from './AdamUpdate.js';
import { argMax } from './ArgMax.js';
import { binary } from './Binary.js';
import { cast } from './Cast.js';
import { concat } from './Concat.js';
import { gather } from './Gather.js';
import { logSoftmax } from './LogSoftmax.js';
import { matMul } from './MatMul.js';
import { oneHot } from './OneHot.js';
import { pad } from './Pad.js';
import { reduce } from './Reduce.js';
import { reverse } from './Reverse.js';
import { rnnBackwardKernel, rnnForwardKernel } from './rnn/both_directions.js';
import { scatterAdd } from './ScatterAdd.js';
import { slice } from './Slice.js';
import { softmax } from './Softmax.js';
import { transpose } from './Transpose.js';
import { unary } from './Unary.js';
import { freeingOutputsOnError } from './util/free_on_error.js';

/**
 * Every kernel of the catalogue, implemented on the WebAssembly module. Typed as a full
 * {@link KernelTable}, so a kernel added to the catalogue is a compile error here until it is
 * implemented. A kernel that fails half way (out of memory) frees the outputs it had allocated.
 */
export const wasmKernels: KernelTable<WasmBackend> = freeingOutputsOnError({
  MatMul: matMul,
  Unary: unary,
  Binary: binary,
  Cast: cast,
  Reduce: reduce,
  ArgMax: argMax,
  Softmax: softmax,
  LogSoftmax: logSoftmax,
  Gather: gather,
  ScatterAdd: scatterAdd,
  OneHot: oneHot,
  Slice: slice,
  Pad: pad,
  Concat: concat,
  Transpose: transpose,
  Reverse: reverse,
  RnnForward: rnnForwardKernel,
  RnnBackward: rnnBackwardKernel,
  AdamUpdate: adamUpdate,
});
