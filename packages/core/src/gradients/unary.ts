/**
 * Gradients of the `Unary` kernel, one formula per op, checked exhaustive by the compiler.
 */
import { add, div, mul, neg, sigmoid, sign, square, step, sub } from '../ops/elementwise.js';
import type { GradFunc } from './types.js';

export const unaryGrad: GradFunc<'Unary'> = (
  { y: dy },
  { inputs: { x }, outputs: { y }, attrs: { op } },
) => {
  if (!dy) return {};
  switch (op) {
    case 'neg':
      return { x: neg(dy) };
    case 'abs':
      return { x: mul(dy, sign(x)) };
    case 'sign':
    case 'step':
      return { x: mul(dy, 0) };
    case 'exp':
      return { x: mul(dy, y) };
    case 'log':
      return { x: div(dy, x) };
    case 'log1p':
      return { x: div(dy, add(x, 1)) };
    case 'sqrt':
      return { x: div(dy, mul(y, 2)) };
    case 'rsqrt':
      return { x: mul(dy, mul(div(y, x), -0.5)) };
    case 'square':
      return { x: mul(dy, mul(x, 2)) };
    case 'reciprocal':
      return { x: neg(mul(dy, square(y))) };
    case 'tanh':
      return { x: mul(dy, sub(1, square(y))) };
    case 'sigmoid':
      return { x: mul(dy, mul(y, sub(1, y))) };
    case 'relu':
      return { x: mul(dy, step(x)) };
    case 'softplus':
      return { x: mul(dy, sigmoid(x)) };
    default: {
      const unknown: never = op;
      throw new Error(`no gradient for unary op ${String(unknown)}`);
    }
  }
};
