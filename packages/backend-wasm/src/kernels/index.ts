import type { KernelTable } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { binary, cast, unary } from './elementwise.js';
import { concat, gather, oneHot, pad, reverse, scatterAdd, slice, transpose } from './layout.js';
import { matMul } from './matmul.js';
import { adamUpdate } from './optimizer.js';
import { argMax, logSoftmax, reduce, softmax } from './reduce.js';
import { rnnBackward, rnnForward } from './rnn.js';

/** Every kernel of the catalogue, implemented on the WebAssembly module. */
export const wasmKernels: KernelTable<WasmBackend> = {
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
  RnnForward: rnnForward,
  RnnBackward: rnnBackward,
  AdamUpdate: adamUpdate,
};
