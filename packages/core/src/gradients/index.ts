import type { Engine } from '../engine.js';
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
import { unaryGrad } from './unary.js';

/**
 * Registers the gradient of every differentiable kernel. Kernels without one (ArgMax, OneHot,
 * RnnBackward, AdamUpdate) produce values no loss differentiates through.
 */
export function registerBuiltinGradients(engine: Engine): void {
  engine.registerGradient('MatMul', matMulGrad);
  engine.registerGradient('Unary', unaryGrad);
  engine.registerGradient('Binary', binaryGrad);
  engine.registerGradient('Cast', castGrad);
  engine.registerGradient('Reduce', reduceGrad);
  engine.registerGradient('Softmax', softmaxGrad);
  engine.registerGradient('LogSoftmax', logSoftmaxGrad);
  engine.registerGradient('Gather', gatherGrad);
  engine.registerGradient('ScatterAdd', scatterAddGrad);
  engine.registerGradient('Slice', sliceGrad);
  engine.registerGradient('Pad', padGrad);
  engine.registerGradient('Concat', concatGrad);
  engine.registerGradient('Transpose', transposeGrad);
  engine.registerGradient('Reverse', reverseGrad);
  engine.registerGradient('RnnForward', rnnForwardGrad);
}
