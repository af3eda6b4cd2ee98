import type { KernelTable } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { adamUpdate } from './AdamUpdate.js';
import { binary, cast, unary } from './elementwise.js';
import { matMul } from './MatMul.js';
import { argMax, logSoftmax, reduce, softmax } from './reduce.js';
import { rnnBackward, rnnForward } from './rnn.js';
import { concat, gather, oneHot, pad, reverse, scatterAdd, slice, transpose } from './shape.js';

/**
 * Every kernel of the catalogue for the gpu.js backend. Typed as a full {@link KernelTable}, so
 * a kernel added to the catalogue is a compile error here until it is implemented.
 */
export const gpujsKernels: KernelTable<GpujsBackend> = {
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
