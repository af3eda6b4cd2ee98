/**
 * The `BestCheckpoint` callback: keeps the best weights seen during training.
 */
import type { Callback, CallbackModel, Logs } from './callbacks.js';
import { Monitor, type MonitorMode } from './monitor.js';
import { WeightSnapshot } from './snapshot.js';

/** Options of {@link BestCheckpoint}. */
export interface BestCheckpointOptions {
  /** Log key to watch (default `'val_loss'`). */
  monitor?: string;
  /** Direction (default `'auto'`). */
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /**
   * Called with the model whenever it improves, e.g. `(m) => saveModel(m, 'best.rnnkit')` from
   * `@rnnkit/nn/node` (awaited).
   */
  save?: (model: CallbackModel, epoch: number, logs: Logs) => void | Promise<void>;
  /** Put the best weights back into the model when training ends (default true). */
  restoreOnTrainEnd?: boolean;
}

/**
 * Keeps the best weights seen during `fit` (in memory, on the backend) and optionally saves
 * them through a `save` hook; by default the model ends training with the best weights.
 * @example
 * ```ts
 * const model = new Sequential([new Dense({ inputSize: 1, units: 1, seed: 0 })]);
 * model.compile({ optimizer: new SGD({ lr: 0.05 }), loss: 'mse' });
 * const x = tensor([[0], [1], [2], [3], [4], [5], [6], [7]]);
 * const y = tensor([[1], [3], [5], [7], [9], [11], [13], [15]]); // y = 2x + 1
 * const savedAt: number[] = [];
 * // In Node, save to disk with `save: (m) => saveModel(m, 'best.rnnkit')` from '@rnnkit/nn/node'.
 * const best = new BestCheckpoint({ monitor: 'val_loss', save: (_m, epoch) => void savedAt.push(epoch) });
 * await model.fit(x, y, { epochs: 10, validationSplit: 0.25, verbose: 0, callbacks: [best] });
 * check(best.bestEpoch >= 0, true); // epoch of the kept weights, restored at the end
 * check(savedAt.at(-1), best.bestEpoch); // `save` ran at every improvement
 * ```
 */
export class BestCheckpoint implements Callback {
  private readonly monitor: Monitor;
  private readonly options: BestCheckpointOptions;
  private model: CallbackModel | undefined;
  private snapshot: WeightSnapshot | undefined;
  /** Epoch of the kept weights (-1 before the first epoch). */
  bestEpoch = -1;

  constructor(options: BestCheckpointOptions = {}) {
    this.options = options;
    this.monitor = new Monitor(
      'BestCheckpoint',
      options.monitor ?? 'val_loss',
      options.mode ?? 'auto',
      options.minDelta ?? 0,
    );
  }

  /** The best monitored value so far. */
  get bestValue(): number {
    return this.monitor.best;
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (!this.model) return;
    if (!this.monitor.improves(this.monitor.value('BestCheckpoint', logs))) return;
    this.bestEpoch = epoch;
    this.snapshot?.dispose();
    this.snapshot = new WeightSnapshot(this.model.namedParameters());
    await this.options.save?.(this.model, epoch, logs);
  }

  onTrainEnd(): void {
    if ((this.options.restoreOnTrainEnd ?? true) && this.snapshot) this.snapshot.restore();
  }

  /** Puts the kept weights back into the model. */
  restore(): void {
    this.snapshot?.restore();
  }

  /** Frees the kept weights. */
  dispose(): void {
    this.snapshot?.dispose();
    this.snapshot = undefined;
  }
}
