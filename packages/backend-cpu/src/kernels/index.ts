/**
 * The cpu backend's kernel table: one entry per kernel of the catalogue, checked complete by the
 * compiler.
 */
import type { KernelTable } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
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
import { rnnBackward } from './RnnBackward.js';
import { rnnForward } from './RnnForward.js';
import { scatterAdd } from './ScatterAdd.js';
import { slice } from './Slice.js';
import { softmax } from './Softmax.js';
import { transpose } from './Transpose.js';
import { unary } from './Unary.js';

/**
 * Every kernel of the catalogue for the CPU backend. Typed as a full {@link KernelTable}, so a
 * kernel added to the catalogue is a compile error here until it is implemented.
 */
export const cpuKernels: KernelTable<CpuBackend> = {
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
