import type { Callback, Logs } from './callbacks.js';

/**
 * The record `fit` returns: the epochs run and, per log key (`loss`, `acc`, `val_loss`, …),
 * the value at each epoch.
 * @example
 * ```ts
 * const h = await model.fit(x, y, { epochs: 3 });
 * h.history.loss; // [0.69, 0.52, 0.31]
 * ```
 */
export class History implements Callback {
  /** Epoch indices that ran. */
  readonly epoch: number[] = [];
  /** Values by log key, one per epoch. */
  readonly history: Record<string, number[]> = {};

  onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}
