/**
 * Gradients of `Reduce`, `Softmax` and `LogSoftmax`.
 */
import { reduceOutShape } from '../backend_util/reduce.js';
import { zeros } from '../ops/create.js';
import { add, div, equal, exp, mul, sub } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { reshape } from '../ops/shape.js';
import type { GradFunc } from './types.js';

export const reduceGrad: GradFunc<'Reduce'> = (
  { y: dy },
  { inputs: { x }, outputs: { y }, attrs: { op, axes } },
) => {
  if (!dy) return {};
  const shape = reduceOutShape(x.shape, axes, true);
  const g = reshape(dy, shape);
  if (op === 'sum') return { x: add(zeros(x.shape, x.dtype), g) };
  // max/min: the gradient is shared equally among the elements that attain the extreme.
  const hits = equal(x, reshape(y, shape));
  return { x: mul(div(hits, sum(hits, axes, true)), g) };
};

export const softmaxGrad: GradFunc<'Softmax'> = ({ y: dy }, { outputs: { y } }) => {
  if (!dy) return {};
  return { x: mul(y, sub(dy, sum(mul(dy, y), -1, true))) };
};

export const logSoftmaxGrad: GradFunc<'LogSoftmax'> = ({ y: dy }, { outputs: { y } }) => {
  if (!dy) return {};
  return { x: sub(dy, mul(exp(y), sum(dy, -1, true))) };
};
