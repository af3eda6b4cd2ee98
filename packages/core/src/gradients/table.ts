/**
 * The gradient table: one entry per kernel of the catalogue, its gradient function or `'none'`.
 * Its type makes a kernel without a decided gradient a compile error.
 */
import { binaryGrad } from './binary.js';
import { matMulGrad } from './matmul.js';
import { logSoftmaxGrad, reduceGrad, softmaxGrad } from './reduce.js';
import { rnnForwardGrad } from './rnn.js';
import {
  castGrad,
  concatGrad,
  gatherGrad,
  padGrad,
  reverseGrad,
  scatterAddGrad,
  sliceGrad,
  transposeGrad,
} from './shape.js';
import type { GradientTable } from './types.js';
import { unaryGrad } from './unary.js';

/**
 * The built-in gradient of every kernel. `'none'`: ArgMax and OneHot produce values from
 * indices, RnnBackward is itself a gradient and AdamUpdate is an optimizer step.
 */
export const GRADIENTS: GradientTable = {
  MatMul: matMulGrad,
  Unary: unaryGrad,
  Binary: binaryGrad,
  Cast: castGrad,
  Reduce: reduceGrad,
  ArgMax: 'none',
  Softmax: softmaxGrad,
  LogSoftmax: logSoftmaxGrad,
  Gather: gatherGrad,
  ScatterAdd: scatterAddGrad,
  OneHot: 'none',
  Slice: sliceGrad,
  Pad: padGrad,
  Concat: concatGrad,
  Transpose: transposeGrad,
  Reverse: reverseGrad,
  RnnForward: rnnForwardGrad,
  RnnBackward: 'none',
  AdamUpdate: 'none',
};
