/**
 * Softmax cross-entropy losses: sparse (integer targets) and categorical (one-hot or soft
 * targets).
 */
import {
  cast,
  DTypeError,
  formatShape,
  gather,
  logSoftmax,
  mul,
  neg,
  oneHot,
  reshape,
  ShapeError,
  sum,
  type Tensor,
  tensor,
} from '@rnnkit/core';
import { type LossOptions, prepareMask, reduceLoss } from './reduction.js';

/** Options of the softmax cross-entropy losses. */
export interface CrossEntropyOptions extends LossOptions {
  /**
   * One weight per class (PyTorch's `weight`). With integer labels each element is weighted by
   * its label's class weight and the mean divides by the sum of those weights, as PyTorch does.
   */
  classWeights?: Tensor | readonly number[];
}

function classWeightTensor(
  op: string,
  w: Tensor | readonly number[],
  classes: number,
  dtype: Tensor['dtype'],
): Tensor {
  const t = Array.isArray(w) ? tensor(w as number[], [w.length], dtype) : cast(w as Tensor, dtype);
  if (t.rank !== 1 || t.shape[0] !== classes) {
    throw new ShapeError(
      `${op}: argument 'classWeights' must have shape [${classes}], got ${formatShape(t.shape)}`,
    );
  }
  return t;
}

/**
 * Softmax cross-entropy with integer class labels (PyTorch's `CrossEntropyLoss` with class
 * indices, Keras' `SparseCategoricalCrossentropy(from_logits=True)`).
 *
 * **Expects logits** — the model's raw scores, not probabilities: end the model with a linear
 * layer (`Dense` without `activation: 'softmax'`), since the loss applies the log-softmax
 * itself (`compile` warns when the last layer applies softmax).
 * Targets: int32 class indices shaped like the logits without their last axis.
 *
 * `loss_i = -log softmax(logits_i)[labels_i] = logsumexp(logits_i) - logits_i[labels_i]`,
 * computed with the backend's stable log-softmax (max subtracted before `exp`), so logits of
 * any magnitude give finite losses.
 *
 * @param logits - float `[..., C]` unnormalised scores (e.g. `[B, C]` or `[B, T, C]`).
 * @param labels - int32 `[...]` class indices in `[0, C)`.
 * @example
 * ```ts
 * const logits = tensor([[2, 0, 0], [0, 0, 0]]); // [B, C]
 * const labels = tensor([0, 2], [2], 'int32');
 * const loss = sparseCategoricalCrossEntropy(logits, labels); // mean over the batch
 * check(loss.item(), (Math.log(Math.exp(2) + 2) - 2 + Math.log(3)) / 2);
 * // sequences: [B, T, C] logits, [B, T] targets and a [B, T] padding mask
 * const lmLogits = randomNormal([2, 3, 5]);
 * const targets = tensor([[1, 2, 3], [4, 0, 0]], [2, 3], 'int32');
 * const mask = tensor([[1, 1, 1], [1, 0, 0]]);
 * const lm = sparseCategoricalCrossEntropy(lmLogits, targets, { mask }); // mean over 4 valid steps
 * const perStep = sparseCategoricalCrossEntropy(lmLogits, targets, { reduction: 'none' });
 * check(lm.item(), sum(mul(perStep, mask)).item() / 4);
 * ```
 */
export function sparseCategoricalCrossEntropy(
  logits: Tensor,
  labels: Tensor,
  options: CrossEntropyOptions = {},
): Tensor {
  const op = 'sparseCategoricalCrossEntropy';
  if (labels.dtype !== 'int32')
    throw new DTypeError(`${op}: argument 'labels' must be int32, got ${labels.dtype}`);
  const lead = logits.shape.slice(0, -1);
  if (labels.rank !== lead.length || labels.shape.some((d, i) => d !== lead[i])) {
    throw new ShapeError(
      `${op}: argument 'labels' must have shape ${formatShape(lead)} for logits ${formatShape(logits.shape)}, got ${formatShape(labels.shape)}`,
    );
  }
  const C = logits.shape[logits.rank - 1];
  const logp = logSoftmax(logits);
  const nll = neg(sum(mul(logp, oneHot(labels, C, logits.dtype)), -1));
  let weights: Tensor | undefined;
  if (options.classWeights !== undefined) {
    const cw = classWeightTensor(op, options.classWeights, C, logits.dtype);
    weights = reshape(gather(cw, reshape(labels, [labels.size]), 0), labels.shape);
  }
  if (options.mask) {
    const m = prepareMask(op, options.mask, labels.shape, logits.dtype);
    weights = weights ? mul(weights, m) : m;
  }
  return reduceLoss(op, nll, weights, options.reduction);
}

/**
 * Softmax cross-entropy with one-hot or soft (probability) targets (PyTorch's
 * `CrossEntropyLoss` with class probabilities, Keras' `CategoricalCrossentropy(from_logits=True)`).
 *
 * **Expects logits** — the model's raw scores, not probabilities: end the model with a linear
 * layer (`Dense` without `activation: 'softmax'`), since the loss applies the log-softmax
 * itself (`compile` warns when the last layer applies softmax).
 * Targets: probabilities (one-hot or soft) shaped like the logits.
 *
 * `loss_i = -Σ_c w_c · targets_ic · log softmax(logits_i)_c`, stable like
 * {@link sparseCategoricalCrossEntropy}. As in PyTorch, the mean divides by the number of
 * (unmasked) elements, not by the class weights.
 *
 * @param logits - float `[..., C]`.
 * @param targets - float `[..., C]`, each row a distribution (one-hot or soft).
 */
export function categoricalCrossEntropy(
  logits: Tensor,
  targets: Tensor,
  options: CrossEntropyOptions = {},
): Tensor {
  const op = 'categoricalCrossEntropy';
  if (targets.rank !== logits.rank || targets.shape.some((d, i) => d !== logits.shape[i])) {
    throw new ShapeError(
      `${op}: argument 'targets' must have shape ${formatShape(logits.shape)}, got ${formatShape(targets.shape)}`,
    );
  }
  const C = logits.shape[logits.rank - 1];
  let t = cast(targets, logits.dtype);
  if (options.classWeights !== undefined)
    t = mul(t, classWeightTensor(op, options.classWeights, C, logits.dtype));
  const perElement = neg(sum(mul(logSoftmax(logits), t), -1));
  const weights = options.mask
    ? prepareMask(op, options.mask, perElement.shape, logits.dtype)
    : undefined;
  return reduceLoss(op, perElement, weights, options.reduction);
}
