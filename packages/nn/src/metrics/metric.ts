/**
 * The `Metric` interface training reports through.
 */
import type { Tensor } from '@rnnkit/core';

/**
 * A metric as training reports it: a batch value computed on the backend, averaged over the
 * batches of an epoch (weighted by batch size), then optionally transformed by `finalize`
 * (perplexity averages the cross-entropy and exponentiates the mean).
 */
export interface Metric {
  /** Key in the logs and history (`acc`, `perplexity`, …). */
  name: string;
  /** Further keys the same value is logged under (`compile` sets them for a renamed metric). */
  aliases?: readonly string[];
  /** Batch value: a scalar tensor. `mask` (e.g. `[B, T]`) excludes padded steps. */
  compute(predictions: Tensor, targets: Tensor, mask?: Tensor): Tensor;
  /** Turns the epoch mean of the batch values into the reported value (identity by default). */
  finalize?(mean: number): number;
}
