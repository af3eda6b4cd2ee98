/**
 * The training callbacks interface and its logs.
 */
import type { LayerConfig, Tensor, Variable } from '@rnnkit/core';

/** Loss and metric values by name (`loss`, `acc`, `val_loss`, …). */
export type Logs = Record<string, number>;

/** What `fit` tells callbacks before training starts. */
export interface TrainingParams {
  /** Epochs requested. */
  epochs: number;
  /** Optimizer steps per epoch. */
  steps: number;
  /** Training samples. */
  samples: number;
  /** Batch size. */
  batchSize: number;
  /** Verbosity requested (0 silent, 1 progress bar, 2 one line per epoch). */
  verbose: number;
  /** Log keys that repeat another metric under an older name (progress displays skip them). */
  aliases?: readonly string[];
}

/** The part of a model callbacks may use. */
export interface CallbackModel {
  /** Set to true to end training after the current epoch. */
  stopTraining: boolean;
  /** Every parameter by prefixed name. */
  namedParameters(): Map<string, Variable>;
  /** Architecture (so a callback can save the model, e.g. with `saveModel`). */
  getConfig(): LayerConfig;
  /** Model output (for custom callbacks). */
  predict(x: Tensor | readonly Tensor[]): Tensor;
}

/**
 * Hooks called by `fit`. Every method is optional and may be async (`fit` awaits it). Batch
 * and epoch indices start at 0.
 * @example
 * ```ts
 * const model = new Sequential([new Dense({ inputSize: 1, units: 1, seed: 0 })]);
 * model.compile({ optimizer: 'sgd', loss: 'mse' });
 * const x = tensor([[0], [1], [2], [3]]);
 * const y = tensor([[1], [3], [5], [7]]);
 * const losses: number[] = [];
 * await model.fit(x, y, {
 *   epochs: 5,
 *   verbose: 0,
 *   callbacks: { onEpochEnd: (epoch, logs) => void (losses[epoch] = logs.loss) },
 * });
 * check(losses.length, 5);
 * ```
 */
export interface Callback {
  /** Receives the model before training starts. */
  setModel?(model: CallbackModel): void;
  /** Receives the run's sizes before training starts. */
  setParams?(params: TrainingParams): void;
  /** Before the first epoch. */
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  /** Before each epoch. */
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  /** Before each batch. */
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  /** After each batch, with that batch's loss and metrics. */
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
  /** After each epoch, with the epoch's mean loss and metrics and the validation ones. */
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  /** After the last epoch (also when stopped early). */
  onTrainEnd?(logs?: Logs): void | Promise<void>;
}

/** Calls one hook on every callback, in order, awaiting each. */
export async function callAll<
  K extends
    | 'onTrainBegin'
    | 'onEpochBegin'
    | 'onBatchBegin'
    | 'onBatchEnd'
    | 'onEpochEnd'
    | 'onTrainEnd',
>(
  callbacks: readonly Callback[],
  hook: K,
  ...args: Parameters<NonNullable<Callback[K]>>
): Promise<void> {
  for (const cb of callbacks) {
    const fn = cb[hook] as ((...a: unknown[]) => void | Promise<void>) | undefined;
    if (fn) await fn.apply(cb, args);
  }
}
