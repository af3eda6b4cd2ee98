/**
 * The accuracy metric.
 */
import {
  argMax,
  cast,
  div,
  equal,
  formatShape,
  greater,
  maximum,
  mean,
  mul,
  ShapeError,
  sum,
  type Tensor,
} from '@rnnkit/core';
import type { Metric } from './metric.js';

function masked(hits: Tensor, mask: Tensor | undefined): Tensor {
  if (!mask) return mean(hits);
  if (mask.rank !== hits.rank || mask.shape.some((d, i) => d !== hits.shape[i])) {
    throw new ShapeError(
      `accuracy: argument 'mask' must have shape ${formatShape(hits.shape)}, got ${formatShape(mask.shape)}`,
    );
  }
  const m = cast(mask, hits.dtype);
  return div(sum(mul(hits, m)), maximum(sum(m), 1));
}

/**
 * Fraction of correct predictions, computed on the backend:
 * - int32 `targets` shaped like `predictions` without the last axis: `argmax(pred) == target`
 *   (sparse labels, the usual case);
 * - `targets` shaped like `predictions` with more than one class: `argmax(pred) == argmax(target)`
 *   (one-hot);
 * - one output per example (`[..., 1]` or same shape): binary, `(logit > 0) == target`.
 * @example
 * ```ts
 * const logits = tensor([[2, 0], [0, 1], [3, 1], [0, 2]]); // argmax: 0, 1, 0, 1
 * const labels = tensor([0, 1, 1, 1], [4], 'int32');
 * check(accuracy(logits, labels).item(), 0.75);
 * ```
 */
export function accuracy(predictions: Tensor, targets: Tensor, mask?: Tensor): Tensor {
  const p = predictions;
  const sameShape = targets.rank === p.rank && targets.shape.every((d, i) => d === p.shape[i]);
  const C = p.shape[p.rank - 1];
  let hits: Tensor;
  if (!sameShape) {
    const lead = p.shape.slice(0, -1);
    if (targets.rank !== lead.length || targets.shape.some((d, i) => d !== lead[i])) {
      throw new ShapeError(
        `accuracy: targets ${formatShape(targets.shape)} do not match predictions ${formatShape(p.shape)}`,
      );
    }
    hits = cast(equal(argMax(p, -1), cast(targets, 'int32')), p.dtype);
  } else if (C > 1 && p.rank > 1) {
    hits = cast(equal(argMax(p, -1), argMax(targets, -1)), p.dtype);
  } else {
    hits = equal(greater(p, 0), cast(targets, p.dtype));
  }
  return masked(hits, mask);
}

/** The {@link accuracy} metric, reported as `acc`. */
export const accuracyMetric: Metric = { name: 'acc', compute: accuracy };
