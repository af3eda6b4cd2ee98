/**
 * `model.fit`: epochs, batches, validation and callbacks.
 */
import { Random, type Tensor, ValueError } from '@rnnkit/core';
import { bpttLayoutOf } from './bptt.js';
import { type Callback, callAll, type Logs } from './callbacks.js';
import { requireCompiled, type TrainableModel } from './compile.js';
import {
  type BatchInput,
  batchesOf,
  batchLengths,
  disposeBatch,
  type InputLengthOptions,
  inputLengths,
  sampleCount,
  takeRows,
} from './data.js';
import { evaluateModel, finalizersOf, LogAverager } from './evaluate.js';
import { History } from './history.js';
import { ProgressBar, type ProgressStream } from './progress.js';
import { readLogs, trainStepTensors } from './step.js';

/** Options of `model.fit`. */
export interface FitOptions extends InputLengthOptions {
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Samples per optimizer step (default 32; for `bpttBatches` data, the batch size it was laid out with). */
  batchSize?: number;
  /** Shuffle the samples every epoch (default true; false, and refused, for stateful models). */
  shuffle?: boolean;
  /** Seed of the shuffling generator (default 0): with seeded layers, training is reproducible. */
  seed?: number;
  /** Hold out this fraction of the samples (the last ones, before shuffling) for validation. */
  validationSplit?: number;
  /** Validation inputs and targets (and an optional mask); takes precedence over `validationSplit`. */
  validationData?: readonly [BatchInput, Tensor] | readonly [BatchInput, Tensor, Tensor];
  /**
   * Loss/metric mask over the targets' leading axes (e.g. `[N, T]` for padded steps). When
   * absent and the model's output is a sequence carrying lengths (from `lengths`, `inputMask`
   * or an `Embedding` with `paddingIdx`), per-step targets are masked by those lengths.
   */
  mask?: Tensor;
  /** Hooks (`onEpochEnd`, `onBatchEnd`, …), early stopping, checkpoints. */
  callbacks?: Callback | readonly Callback[];
  /** 0: silent; 1: progress bar on a TTY (default); 2: one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Where the progress goes (default `process.stdout` in Node). */
  progressStream?: ProgressStream;
}

/**
 * The training loop behind `model.fit`: epochs of shuffled mini-batches (in order, without a
 * short last batch, for stateful models, whose states are reset at the start of every epoch
 * so consecutive batches continue each other's sequences: truncated backpropagation through
 * time), validation at each epoch end, callbacks, and a returned {@link History}.
 */
export async function fitModel(
  model: TrainableModel,
  x: BatchInput,
  y: Tensor,
  options: FitOptions = {},
): Promise<History> {
  const owner = `${model.name}.fit`;
  requireCompiled(model, 'fit');
  const epochs = options.epochs ?? 1;
  const stateful = model.isStateful();
  const layout = stateful && !Array.isArray(x) ? bpttLayoutOf(x as Tensor) : undefined;
  const batchSize = options.batchSize ?? layout?.batchSize ?? 32;
  if (layout && batchSize !== layout.batchSize) {
    throw new ValueError(
      `${owner}: option 'batchSize' is ${batchSize} but x was laid out by bpttBatches for ${layout.batchSize} lanes; ` +
        'a stateful model must use that batch size (or omit it) for row b of each batch to continue row b of the previous one',
    );
  }
  if (!(Number.isInteger(epochs) && epochs >= 0))
    throw new ValueError(`${owner}: option 'epochs' must be a non-negative integer, got ${epochs}`);
  if (!(Number.isInteger(batchSize) && batchSize > 0))
    throw new ValueError(
      `${owner}: option 'batchSize' must be a positive integer, got ${batchSize}`,
    );
  if (stateful && options.shuffle === true) {
    throw new ValueError(
      `${owner}: a stateful model carries state from batch to batch; shuffling would break that (use shuffle: false)`,
    );
  }
  const shuffle = options.shuffle ?? !stateful;
  const n = sampleCount(owner, x, y, options.mask);
  const lengths = inputLengths(owner, x, n, options);

  let trainCount = n;
  let validation:
    | { x: BatchInput; y: Tensor; mask?: Tensor; lengths?: readonly number[]; owned: boolean }
    | undefined;
  if (options.validationData) {
    const [vx, vy, vm] = options.validationData;
    validation = { x: vx, y: vy, mask: vm, owned: false };
  } else if (options.validationSplit !== undefined && options.validationSplit > 0) {
    const split = options.validationSplit;
    if (!(split < 1))
      throw new ValueError(`${owner}: option 'validationSplit' must be in [0, 1), got ${split}`);
    const nVal = Math.floor(n * split);
    if (nVal === 0 || nVal === n)
      throw new ValueError(
        `${owner}: validationSplit ${split} of ${n} samples leaves an empty set`,
      );
    trainCount = n - nVal;
    const rows = Array.from({ length: nVal }, (_, i) => trainCount + i);
    validation = {
      x: takeRows(x, rows),
      y: takeRows(y, rows),
      mask: options.mask ? takeRows(options.mask, rows) : undefined,
      lengths: batchLengths(lengths, rows),
      owned: true,
    };
  }

  const history = new History();
  const userCallbacks =
    options.callbacks === undefined
      ? []
      : Array.isArray(options.callbacks)
        ? options.callbacks
        : [options.callbacks as Callback];
  const progress = new ProgressBar({
    verbose: options.verbose ?? 1,
    stream: options.progressStream,
  });
  const callbacks: Callback[] = [history, ...userCallbacks, progress];
  const steps = batchesOf(
    Array.from({ length: trainCount }, (_, i) => i),
    batchSize,
    stateful,
  ).length;
  if (steps === 0)
    throw new ValueError(`${owner}: ${trainCount} training samples make no batch of ${batchSize}`);
  for (const cb of callbacks) {
    cb.setModel?.(model);
    cb.setParams?.({
      epochs,
      steps,
      samples: trainCount,
      batchSize,
      verbose: options.verbose ?? 1,
      aliases: requireCompiled(model, 'fit').metrics.flatMap((m) => m.aliases ?? []),
    });
  }
  const rng = new Random(options.seed ?? 0);
  const finalizers = finalizersOf(model);
  model.stopTraining = false;
  try {
    await callAll(callbacks, 'onTrainBegin', {});
    for (let epoch = 0; epoch < epochs && !model.stopTraining; epoch++) {
      if (stateful) model.resetStates();
      await callAll(callbacks, 'onEpochBegin', epoch, {});
      const order = Array.from({ length: trainCount }, (_, i) => i);
      if (shuffle) rng.shuffle(order);
      const avg = new LogAverager();
      const batches = batchesOf(order, batchSize, stateful);
      for (let b = 0; b < batches.length; b++) {
        await callAll(callbacks, 'onBatchBegin', b, {});
        const rows = batches[b];
        const xb = takeRows(x, rows);
        const yb = takeRows(y, rows);
        const mb = options.mask ? takeRows(options.mask, rows) : undefined;
        let logs: Logs;
        try {
          const r = trainStepTensors(model, xb, yb, mb, batchLengths(lengths, rows));
          logs = readLogs(model, r.loss, r.metrics);
        } finally {
          disposeBatch(xb);
          yb.dispose();
          mb?.dispose();
        }
        avg.add(logs, rows.length);
        await callAll(callbacks, 'onBatchEnd', b, logs);
      }
      const epochLogs = avg.result(finalizers);
      if (validation) {
        const val = evaluateModel(model, validation.x, validation.y, {
          batchSize,
          mask: validation.mask,
          lengths: validation.lengths,
        });
        for (const [k, v] of Object.entries(val)) epochLogs[`val_${k}`] = v;
      }
      await callAll(callbacks, 'onEpochEnd', epoch, epochLogs);
    }
    await callAll(callbacks, 'onTrainEnd', {});
  } finally {
    if (validation?.owned) {
      disposeBatch(validation.x);
      validation.y.dispose();
      validation.mask?.dispose();
    }
  }
  return history;
}
