/**
 * The `EarlyStopping` callback.
 */
import type { Callback, CallbackModel, Logs } from './callbacks.js';
import { Monitor, type MonitorMode } from './monitor.js';
import { WeightSnapshot } from './snapshot.js';

/** Options of {@link EarlyStopping}. */
export interface EarlyStoppingOptions {
  /** Log key to watch (default `'val_loss'`). */
  monitor?: string;
  /** Epochs without improvement before stopping (default 0: stop at the first non-improving epoch). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Direction (default `'auto'`: max for accuracy keys, min otherwise). */
  mode?: MonitorMode;
  /** On stopping (or at the end), put back the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
}

/**
 * Stops `fit` when a monitored value stops improving (Keras' `EarlyStopping`).
 * @example
 * ```ts
 * const model = new Sequential([new Dense({ inputSize: 1, units: 1, seed: 0 })]);
 * model.compile({ optimizer: new SGD({ lr: 0.05 }), loss: 'mse' });
 * const x = tensor([[0], [1], [2], [3], [4], [5], [6], [7]]);
 * const y = tensor([[1], [3], [5], [7], [9], [11], [13], [15]]);
 * const stop = new EarlyStopping({ patience: 5, restoreBestWeights: true });
 * const h = await model.fit(x, y, { epochs: 100, validationSplit: 0.25, verbose: 0, callbacks: [stop] });
 * // stoppedEpoch is -1 if all 100 epochs ran; otherwise `patience` epochs passed without a new best
 * check(h.epoch.length, stop.stoppedEpoch === -1 ? 100 : stop.stoppedEpoch + 1);
 * check(stop.stoppedEpoch === -1 || stop.stoppedEpoch - stop.bestEpoch === 6, true);
 * ```
 */
export class EarlyStopping implements Callback {
  private readonly monitor: Monitor;
  private readonly patience: number;
  private readonly restoreBestWeights: boolean;
  private model: CallbackModel | undefined;
  private wait = 0;
  private best: WeightSnapshot | undefined;
  /** The epoch training stopped at, or -1. */
  stoppedEpoch = -1;
  /** The epoch with the best monitored value. */
  bestEpoch = -1;

  constructor(options: EarlyStoppingOptions = {}) {
    this.monitor = new Monitor(
      'EarlyStopping',
      options.monitor ?? 'val_loss',
      options.mode ?? 'auto',
      options.minDelta ?? 0,
    );
    this.patience = options.patience ?? 0;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = -1;
    this.bestEpoch = -1;
    this.monitor.best = Number.NaN;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const v = this.monitor.value('EarlyStopping', logs);
    if (this.monitor.improves(v)) {
      this.wait = 0;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights && this.model) {
        this.best?.dispose();
        this.best = new WeightSnapshot(this.model.namedParameters());
      }
      return;
    }
    this.wait++;
    if (this.wait > this.patience && this.model) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.best) {
      this.best.restore();
      this.best.dispose();
      this.best = undefined;
    }
  }
}
