/**
 * Losses by name, for `model.compile`.
 */
import { type Tensor, ValueError } from '@rnnkit/core';
import { binaryCrossEntropyWithLogits } from './binary_cross_entropy.js';
import { categoricalCrossEntropy, sparseCategoricalCrossEntropy } from './cross_entropy.js';
import { meanSquaredError } from './mean_squared_error.js';

/**
 * A loss as training uses it: model output, targets and an optional mask (e.g. `[B, T]` for
 * padded sequences) in, a scalar out.
 */
export type LossFn = (predictions: Tensor, targets: Tensor, mask?: Tensor) => Tensor;

/**
 * Names accepted wherever a loss is expected (`model.compile({ loss: 'sparseCategoricalCrossEntropy' })`).
 * `sparseCategoricalCrossEntropy` (int32 labels), `categoricalCrossEntropy` (probability
 * targets) and `binaryCrossEntropy` (0/1 targets) expect **logits** from the model — no final
 * softmax or sigmoid; `meanSquaredError` / `mse` expect predictions in the targets' units.
 */
export type LossName =
  | 'sparseCategoricalCrossEntropy'
  | 'categoricalCrossEntropy'
  | 'binaryCrossEntropy'
  | 'meanSquaredError'
  | 'mse';

const LOSSES: Record<LossName, LossFn> = {
  sparseCategoricalCrossEntropy: (p, t, mask) => sparseCategoricalCrossEntropy(p, t, { mask }),
  categoricalCrossEntropy: (p, t, mask) => categoricalCrossEntropy(p, t, { mask }),
  binaryCrossEntropy: (p, t, mask) => binaryCrossEntropyWithLogits(p, t, { mask }),
  meanSquaredError: (p, t, mask) => meanSquaredError(p, t, { mask }),
  mse: (p, t, mask) => meanSquaredError(p, t, { mask }),
};

/** Every built-in loss name. */
export const LOSS_NAMES = Object.keys(LOSSES) as LossName[];

/** Resolves a loss name (or passes a function through); throws a {@link ValueError} for an unknown name. */
export function getLoss(loss: LossName | LossFn): LossFn {
  if (typeof loss === 'function') return loss;
  const fn = LOSSES[loss];
  if (!fn)
    throw new ValueError(
      `unknown loss '${String(loss)}'; expected one of ${LOSS_NAMES.join(', ')} or a function`,
    );
  return fn;
}
