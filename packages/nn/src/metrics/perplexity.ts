/**
 * The perplexity metric.
 */
import { exp, type Tensor } from '@rnnkit/core';
import { categoricalCrossEntropy, sparseCategoricalCrossEntropy } from '../losses/cross_entropy.js';
import type { Metric } from './metric.js';

/**
 * Per-token perplexity `exp(mean cross-entropy)` of logits against integer (or one-hot)
 * targets, on the backend. Over an epoch the metric averages the cross-entropy and
 * exponentiates the mean (not the mean of batch perplexities).
 */
export function perplexity(logits: Tensor, targets: Tensor, mask?: Tensor): Tensor {
  return exp(crossEntropyOf(logits, targets, mask));
}

function crossEntropyOf(logits: Tensor, targets: Tensor, mask?: Tensor): Tensor {
  return targets.dtype === 'int32'
    ? sparseCategoricalCrossEntropy(logits, targets, { mask })
    : categoricalCrossEntropy(logits, targets, { mask });
}

/** The perplexity metric, reported as `perplexity`. */
export const perplexityMetric: Metric = {
  name: 'perplexity',
  compute: crossEntropyOf,
  finalize: (meanCrossEntropy) => Math.exp(meanCrossEntropy),
};
