/**
 * `History`: the record `fit` returns.
 */
import type { Callback, Logs } from './callbacks.js';

/**
 * The record `fit` returns: the epochs run and, per log key (`loss`, `acc`, `val_loss`, …),
 * the value at each epoch.
 * @example
 * ```ts
 * const model = new Sequential([new Dense({ inputSize: 2, units: 1, seed: 0 })]);
 * model.compile({ optimizer: new SGD({ lr: 0.1 }), loss: 'meanSquaredError' });
 * const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
 * const y = tensor([[0], [1], [1], [2]]); // y = x₀ + x₁
 * const h = await model.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 });
 * check(h.epoch, [0, 1, 2]);
 * check(h.history.loss.length, 3); // one mean loss per epoch
 * check(h.history.loss[2] < h.history.loss[0], true);
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
