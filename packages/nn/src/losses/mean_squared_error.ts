/**
 * Mean squared error.
 */
import { cast, formatShape, mul, ShapeError, square, sub, sum, type Tensor } from '@rnnkit/core';
import { type LossOptions, prepareMask, reduceLoss } from './reduction.js';

/**
 * Mean squared error `mean((predictions - targets)²)` (PyTorch's `MSELoss`).
 *
 * Expects predictions in the targets' own units and shape (regression outputs: no activation
 * is applied).
 *
 * With a `mask` shaped like the leading axes (e.g. `[B, T]` for `[B, T, F]` predictions), the
 * squared error is summed over the trailing feature axes and the mean divides by
 * `Σ mask · F`, so padded steps are ignored. A mask of the full shape is also accepted.
 *
 * @example
 * ```ts
 * const predictions = tensor([[1, 2], [3, 4]]);
 * const targets = tensor([[1, 0], [3, 1]]);
 * check(meanSquaredError(predictions, targets).item(), (0 + 4 + 0 + 9) / 4);
 * // a mask over the leading axis: row 1 is padding, the mean runs over row 0's 2 features
 * check(meanSquaredError(predictions, targets, { mask: tensor([1, 0]) }).item(), 4 / 2);
 * ```
 */
export function meanSquaredError(
  predictions: Tensor,
  targets: Tensor,
  options: { mask?: Tensor; reduction?: LossOptions['reduction'] } = {},
): Tensor {
  const op = 'meanSquaredError';
  if (
    targets.rank !== predictions.rank ||
    targets.shape.some((d, i) => d !== predictions.shape[i])
  ) {
    throw new ShapeError(
      `${op}: argument 'targets' must have shape ${formatShape(predictions.shape)}, got ${formatShape(targets.shape)}`,
    );
  }
  const se = square(sub(predictions, cast(targets, predictions.dtype)));
  if (!options.mask) return reduceLoss(op, se, undefined, options.reduction);
  const m = options.mask;
  if (m.rank > se.rank || m.shape.some((d, i) => d !== se.shape[i])) {
    throw new ShapeError(
      `${op}: argument 'mask' must match the leading axes of ${formatShape(se.shape)}, got ${formatShape(m.shape)}`,
    );
  }
  const trailing = se.shape.slice(m.rank);
  const featureCount = trailing.reduce((a, b) => a * b, 1);
  const perElement =
    trailing.length > 0
      ? sum(
          se,
          trailing.map((_, i) => m.rank + i),
        )
      : se;
  const weights = prepareMask(op, m, perElement.shape, predictions.dtype);
  if ((options.reduction ?? 'mean') === 'none') return mul(perElement, weights);
  return reduceLoss(op, perElement, weights, options.reduction, featureCount);
}
