/**
 * `model.evaluate` and `model.predict`.
 */
import { concat, type Tensor, tidy, ValueError } from '@rnnkit/core';
import type { Logs } from './callbacks.js';
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
import { lossMaskFromLengths, setMetricLog } from './step.js';

/** Options of `model.evaluate`. */
export interface EvaluateOptions extends InputLengthOptions {
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** Loss/metric mask shaped like the targets' leading axes (e.g. `[N, T]`); see `FitOptions.mask`. */
  mask?: Tensor;
}

/** Options of `model.predict`. */
export interface PredictOptions extends InputLengthOptions {
  /** Samples per batch (default 32). */
  batchSize?: number;
}

function checkBatchSize(owner: string, b: number): number {
  if (!(Number.isInteger(b) && b > 0))
    throw new ValueError(`${owner}: option 'batchSize' must be a positive integer, got ${b}`);
  return b;
}

/** Running weighted means of logs over batches. */
export class LogAverager {
  private readonly sums: Record<string, number> = {};
  private count = 0;

  /** Adds one batch's logs with weight `n` (its sample count). */
  add(logs: Logs, n: number): void {
    for (const [k, v] of Object.entries(logs)) this.sums[k] = (this.sums[k] ?? 0) + v * n;
    this.count += n;
  }

  /** The means, with each metric's `finalize` applied. */
  result(finalizers: Record<string, ((v: number) => number) | undefined> = {}): Logs {
    const out: Logs = {};
    for (const [k, s] of Object.entries(this.sums)) {
      const mean = s / Math.max(1, this.count);
      const f = finalizers[k];
      out[k] = f ? f(mean) : mean;
    }
    return out;
  }
}

/** The finalize functions of a model's metrics, by name. */
export function finalizersOf(
  model: TrainableModel,
): Record<string, ((v: number) => number) | undefined> {
  const out: Record<string, ((v: number) => number) | undefined> = {};
  for (const m of requireCompiled(model, 'evaluate').metrics)
    for (const key of [m.name, ...(m.aliases ?? [])]) out[key] = m.finalize?.bind(m);
  return out;
}

/** Loss and metrics over `(x, y)` in inference mode, averaged over samples. */
export function evaluateModel(
  model: TrainableModel,
  x: BatchInput,
  y: Tensor,
  options: EvaluateOptions = {},
): Logs {
  const { loss, metrics } = requireCompiled(model, 'evaluate');
  const n = sampleCount(`${model.name}.evaluate`, x, y, options.mask);
  const lengths = inputLengths(`${model.name}.evaluate`, x, n, options);
  const batchSize = checkBatchSize(`${model.name}.evaluate`, options.batchSize ?? 32);
  const stateful = model.isStateful();
  if (stateful) model.resetStates();
  const avg = new LogAverager();
  const order = Array.from({ length: n }, (_, i) => i);
  for (const rows of batchesOf(order, batchSize, stateful)) {
    const values = tidy(() => {
      const xb = takeRows(x, rows);
      const yb = takeRows(y, rows);
      const pred = model.forward(xb, { training: false, lengths: batchLengths(lengths, rows) });
      const mb = options.mask ? takeRows(options.mask, rows) : lossMaskFromLengths(pred, yb);
      return [loss(pred, yb, mb), ...metrics.map((m) => m.compute(pred, yb, mb))];
    });
    const logs: Logs = { loss: values[0].item() };
    metrics.forEach((m, i) => {
      setMetricLog(logs, m, values[i + 1].item());
    });
    values.forEach((v) => v.dispose());
    avg.add(logs, rows.length);
  }
  if (stateful) model.resetStates();
  return avg.result(finalizersOf(model));
}

/** The model's outputs for every sample of `x`, batched and concatenated along axis 0. */
export function predictModel(
  model: TrainableModel,
  x: BatchInput,
  options: PredictOptions = {},
): Tensor {
  const n = sampleCount(`${model.name}.predict`, x);
  const lengths = inputLengths(`${model.name}.predict`, x, n, options);
  const batchSize = checkBatchSize(`${model.name}.predict`, options.batchSize ?? 32);
  const order = Array.from({ length: n }, (_, i) => i);
  const parts: Tensor[] = [];
  for (const rows of batchesOf(order, batchSize, false)) {
    parts.push(
      tidy(() => {
        const xb = takeRows(x, rows);
        const out = model.forward(xb, { training: false, lengths: batchLengths(lengths, rows) });
        disposeBatch(xb);
        return out;
      }),
    );
  }
  if (parts.length === 1) return parts[0];
  const out = concat(parts, 0);
  for (const p of parts) p.dispose();
  return out;
}
