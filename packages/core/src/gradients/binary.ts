/**
 * Gradients of the `Binary` kernel, with the sum back to a broadcast operand's shape.
 */
import { binary, div, greater, log, mul, neg, pow, sub } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { reshape } from '../ops/shape.js';
import { broadcastAxes } from '../ops/util.js';
import type { Tensor } from '../tensor.js';
import type { GradFunc } from './types.js';

/** Sums a gradient of the broadcast result back to an operand's shape. */
export function reduceToShape(g: Tensor, like: Tensor): Tensor {
  const axes = broadcastAxes(like.shape, g.shape);
  const summed = axes.length > 0 ? sum(g, axes, true) : g;
  return summed.rank === like.rank ? summed : reshape(summed, like.shape);
}

export const binaryGrad: GradFunc<'Binary'> = (
  { y: dy },
  { inputs: { a, b }, outputs: { y }, attrs: { op } },
) => {
  if (!dy) return {};
  const both = (da: Tensor, db: Tensor) => ({ a: reduceToShape(da, a), b: reduceToShape(db, b) });
  switch (op) {
    case 'add':
      return both(dy, dy);
    case 'sub':
      return both(dy, neg(dy));
    case 'mul':
      return both(mul(dy, b), mul(dy, a));
    case 'div':
      return both(div(dy, b), neg(div(mul(dy, a), mul(b, b))));
    case 'maximum':
      return both(mul(dy, binary('greaterEqual', a, b)), mul(dy, binary('less', a, b)));
    case 'minimum':
      return both(mul(dy, binary('lessEqual', a, b)), mul(dy, binary('greater', a, b)));
    case 'pow': {
      const da = mul(dy, mul(b, pow(a, sub(b, 1))));
      const positive = greater(a, 0);
      const safeA = sub(mul(a, positive), sub(positive, 1));
      const db = mul(dy, mul(mul(y, log(safeA)), positive));
      return both(da, db);
    }
    case 'equal':
    case 'greater':
    case 'greaterEqual':
    case 'less':
    case 'lessEqual':
      // Comparisons are piecewise constant: no gradient reaches either operand.
      return {};
    default: {
      const unknown: never = op;
      throw new Error(`no gradient for binary op ${String(unknown)}`);
    }
  }
};
