// The training loop: length-bucketed mini-batches, validation each epoch, early stopping.
import { logSoftmax, Random, type Tensor, tensor, tidy } from '@rnnkit/core';
import {
  Adam,
  type Callback,
  EarlyStopping,
  History,
  type Logs,
  type Model,
  ProgressBar,
  type ProgressStream,
} from '@rnnkit/nn';
import { bucketedBatches, makeBatch } from './batch.js';

/** Sentences as token ids with their labels. */
export interface Encoded {
  /** Token ids per sentence (each at least one id). */
  ids: number[][];
  /** Label index per sentence. */
  y: number[];
}

/** Options of {@link trainClassifier}. */
export interface TrainOptions {
  /** Maximum passes over the training data. */
  epochs: number;
  /** Sentences per step. */
  batchSize: number;
  /** Adam's learning rate. */
  lr: number;
  /** Epochs without a lower validation loss before stopping. */
  patience: number;
  /** Seed of the batch order and of the word dropout. */
  seed: number;
  /** Probability of replacing a training token by the unknown token (default 0). */
  wordDropout?: number;
  /** 0 silent, 1 progress bar on a terminal, 2 one line per epoch. */
  verbose: 0 | 1 | 2;
  /** Where progress goes (default stderr). */
  stream?: ProgressStream;
  /** Extra callbacks (e.g. to stop on Ctrl-C). */
  callbacks?: Callback[];
}

/** What {@link trainClassifier} returns. */
export interface TrainResult {
  /** Per-epoch `loss`, `acc`, `val_loss`, `val_acc`. */
  history: History;
  /** The epoch whose weights were kept (lowest validation loss), from 0. */
  bestEpoch: number;
  /** Epochs run. */
  epochsRun: number;
}

/** Log-probabilities `[N, classes]` of the sentences, computed in length-sorted batches. */
export function logProbabilities(
  model: Model,
  ids: readonly (readonly number[])[],
  batchSize = 256,
): Float32Array[] {
  const out: Float32Array[] = new Array(ids.length);
  const lens = ids.map((s) => s.length);
  const all = ids.map((_, i) => i);
  for (const rows of bucketedBatches(lens, all, batchSize)) {
    const batch = makeBatch(ids, rows);
    try {
      const lp = tidy(() => logSoftmax(model.apply(batch.tokens) as Tensor));
      const data = lp.dataSync() as Float32Array;
      const C = lp.shape[1];
      rows.forEach((r, b) => {
        out[r] = Float32Array.from(data.subarray(b * C, (b + 1) * C));
      });
      lp.dispose();
    } finally {
      batch.tokens.dispose();
    }
  }
  return out;
}

/** Mean cross-entropy and accuracy of the model on `data`. */
export function evaluateLogs(model: Model, data: Encoded): Logs {
  const lp = logProbabilities(model, data.ids);
  let loss = 0;
  let correct = 0;
  lp.forEach((row, i) => {
    loss -= row[data.y[i]];
    if (argmax(row) === data.y[i]) correct++;
  });
  return { loss: loss / lp.length, acc: correct / lp.length };
}

/** Index of the largest entry (the first on ties). */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/**
 * Trains `model` (a classifier of padded token ids `[B, T]`) with Adam on `train`, validating on
 * `val` after every epoch; stops when the validation loss has not improved for `patience`
 * epochs and puts back the weights of the best epoch.
 */
export async function trainClassifier(
  model: Model,
  train: Encoded,
  val: Encoded,
  options: TrainOptions,
): Promise<TrainResult> {
  model.compile({
    optimizer: new Adam({ lr: options.lr, clipNorm: 5 }),
    loss: 'sparseCategoricalCrossEntropy',
    metrics: ['accuracy'],
  });
  const rng = new Random(options.seed);
  const lens = train.ids.map((s) => s.length);
  const rows = train.ids.map((_, i) => i);
  const steps = Math.ceil(rows.length / options.batchSize);
  const history = new History();
  const stopper = new EarlyStopping({
    monitor: 'val_loss',
    patience: options.patience,
    restoreBestWeights: true,
  });
  const progress = new ProgressBar({
    verbose: options.verbose,
    stream: options.stream ?? process.stderr,
  });
  const callbacks: Callback[] = [history, stopper, ...(options.callbacks ?? []), progress];
  for (const cb of callbacks) {
    cb.setModel?.(model);
    cb.setParams?.({
      epochs: options.epochs,
      steps,
      samples: rows.length,
      batchSize: options.batchSize,
      verbose: options.verbose,
    });
  }
  model.stopTraining = false;
  let epochsRun = 0;
  for (const cb of callbacks) await cb.onTrainBegin?.({});
  for (let epoch = 0; epoch < options.epochs && !model.stopTraining; epoch++) {
    for (const cb of callbacks) await cb.onEpochBegin?.(epoch, {});
    let loss = 0;
    let acc = 0;
    let seen = 0;
    const batches = bucketedBatches(lens, rows, options.batchSize, rng);
    for (let b = 0; b < batches.length; b++) {
      const batch = makeBatch(train.ids, batches[b], { rate: options.wordDropout ?? 0, rng });
      const y = makeLabels(train.y, batches[b]);
      let logs: Logs;
      try {
        logs = model.trainOnBatch(batch.tokens, y);
      } finally {
        batch.tokens.dispose();
        y.dispose();
      }
      loss += logs.loss * batches[b].length;
      acc += logs.acc * batches[b].length;
      seen += batches[b].length;
      for (const cb of callbacks) await cb.onBatchEnd?.(b, logs);
    }
    const v = evaluateLogs(model, val);
    const epochLogs: Logs = {
      loss: loss / seen,
      acc: acc / seen,
      val_loss: v.loss,
      val_acc: v.acc,
    };
    epochsRun++;
    for (const cb of callbacks) await cb.onEpochEnd?.(epoch, epochLogs);
  }
  for (const cb of callbacks) await cb.onTrainEnd?.({});
  return { history, bestEpoch: stopper.bestEpoch, epochsRun };
}

function makeLabels(y: readonly number[], rows: readonly number[]): Tensor {
  return tensor(
    Int32Array.from(rows, (r) => y[r]),
    [rows.length],
    'int32',
  );
}
