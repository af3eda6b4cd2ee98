/**
 * Binary cross-entropy on logits.
 */
import {
  add,
  cast,
  formatShape,
  mul,
  neg,
  ShapeError,
  softplus,
  sub,
  type Tensor,
  tensor,
} from '@rnnkit/core';
import { type LossOptions, prepareMask, reduceLoss } from './reduction.js';

/** Options of {@link binaryCrossEntropyWithLogits}. */
export interface BinaryCrossEntropyOptions extends LossOptions {
  /**
   * Weight of positive examples (PyTorch's `pos_weight`), a number or a tensor that broadcasts
   * against the logits (one per output unit).
   */
  posWeight?: number | Tensor;
}

/**
 * Binary cross-entropy on logits (PyTorch's `BCEWithLogitsLoss`):
 * `loss = (1 - y)·x + (1 + (p - 1)·y)·softplus(-x)` where `p` is `posWeight` (1 by default);
 * with `p = 1` this is `max(x, 0) - x·y + log(1 + e^-|x|)`. `softplus` is computed stably, so
 * large logits give finite losses.
 *
 * **Expects logits**, not probabilities: end the model with a linear layer (not
 * `activation: 'sigmoid'`), since the loss applies the sigmoid itself (`compile` warns when
 * the last layer applies it). Targets: 0/1 (or soft) values shaped like the logits.
 *
 * @param logits - float, any shape.
 * @param targets - float (or int32 0/1) of the same shape, values in [0, 1].
 * @example
 * ```ts
 * const logits = tensor([[2], [-1], [0]]);
 * const targets = tensor([[1], [0], [1]]);
 * const loss = binaryCrossEntropyWithLogits(logits, targets);
 * const softplus = (v: number) => Math.log1p(Math.exp(v));
 * check(loss.item(), (softplus(-2) + softplus(-1) + softplus(0)) / 3);
 * ```
 */
export function binaryCrossEntropyWithLogits(
  logits: Tensor,
  targets: Tensor,
  options: BinaryCrossEntropyOptions = {},
): Tensor {
  const op = 'binaryCrossEntropyWithLogits';
  if (targets.rank !== logits.rank || targets.shape.some((d, i) => d !== logits.shape[i])) {
    throw new ShapeError(
      `${op}: argument 'targets' must have shape ${formatShape(logits.shape)}, got ${formatShape(targets.shape)}`,
    );
  }
  const y = cast(targets, logits.dtype);
  const spNeg = softplus(neg(logits));
  let coef: Tensor | number = 1;
  if (options.posWeight !== undefined) {
    const pw =
      typeof options.posWeight === 'number'
        ? tensor(options.posWeight, [], logits.dtype)
        : cast(options.posWeight, logits.dtype);
    coef = add(1, mul(sub(pw, 1), y));
  }
  const perElement = add(
    mul(sub(1, y), logits),
    typeof coef === 'number' ? spNeg : mul(coef, spNeg),
  );
  const weights = options.mask
    ? prepareMask(op, options.mask, perElement.shape, logits.dtype)
    : undefined;
  return reduceLoss(op, perElement, weights, options.reduction);
}
