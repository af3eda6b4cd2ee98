/**
 * One optimizer step on a batch: forward, loss, gradients, update and logs.
 */
import { dispose, keep, type Tensor, tensor, tidy, variableGrads } from '@rnnkit/core';
import { carriedLengthsOf } from '../layers/sequence_input.js';
import type { Metric } from '../metrics/metric.js';
import type { Logs } from './callbacks.js';
import { requireCompiled, type TrainableModel } from './compile.js';
import type { BatchInput } from './data.js';

/**
 * One optimizer step: forward in training mode, loss, gradients of every trainable parameter,
 * update. Returns the batch loss and metric values as scalar tensors (owned by the caller).
 */
export function trainStepTensors(
  model: TrainableModel,
  x: BatchInput,
  y: Tensor,
  givenMask?: Tensor,
  lengths?: readonly number[],
): { loss: Tensor; metrics: Tensor[] } {
  const { optimizer, loss, metrics } = requireCompiled(model, 'fit');
  const params = model.trainableParameters();
  let pred: Tensor | undefined;
  let mask = givenMask;
  const { value, grads } = variableGrads(
    () => {
      const out = model.forward(x, { training: true, lengths });
      mask ??= keepOrUndefined(lossMaskFromLengths(out, y));
      if (metrics.length > 0) pred = keep(out);
      return loss(out, y, mask);
      // a model may hold parameters a batch does not reach (an unused head): they get zeros
    },
    params,
    { allowUnused: true },
  );
  try {
    optimizer.applyGradients(params, grads);
  } finally {
    dispose(grads);
  }
  const values = pred ? tidy(() => metrics.map((m) => m.compute(pred!, y, mask))) : [];
  pred?.dispose();
  if (mask !== givenMask) mask?.dispose();
  return { loss: value, metrics: values };
}

/** Logs `value` under the metric's name and its aliases. */
export function setMetricLog(logs: Logs, metric: Metric, value: number): void {
  logs[metric.name] = value;
  for (const alias of metric.aliases ?? []) logs[alias] = value;
}

/**
 * The loss mask a prediction's carried lengths imply (Keras passes a sequence's mask on to the
 * loss): `[B, T]` ones on the valid steps when the prediction is a `[B, T, …]` sequence that
 * carries lengths and the targets are per step (`[B, T, …]`); otherwise undefined.
 */
export function lossMaskFromLengths(pred: Tensor, y: Tensor): Tensor | undefined {
  const lengths = carriedLengthsOf(pred);
  if (!lengths || pred.rank < 3 || y.rank < 2) return undefined;
  const [B, T] = pred.shape;
  if (y.shape[0] !== B || y.shape[1] !== T) return undefined;
  const values = new Float32Array(B * T);
  for (let b = 0; b < B; b++) values.fill(1, b * T, b * T + lengths[b]);
  return tensor(values, [B, T]);
}

function keepOrUndefined(t: Tensor | undefined): Tensor | undefined {
  return t ? keep(t) : undefined;
}

/** Reads `{loss, <metric>…}` from a step's tensors and disposes them. */
export function readLogs(model: TrainableModel, loss: Tensor, metrics: Tensor[]): Logs {
  const logs: Logs = { loss: loss.item() };
  requireCompiled(model, 'fit').metrics.forEach((m, i) => {
    setMetricLog(logs, m, metrics[i].item());
  });
  loss.dispose();
  dispose(metrics);
  return logs;
}

/**
 * One optimizer step on one batch (Keras' `train_on_batch`); returns its loss and raw metric
 * values (perplexity is reported as the exponentiated batch cross-entropy).
 */
export function trainOnBatch(model: TrainableModel, x: BatchInput, y: Tensor, mask?: Tensor): Logs {
  const { loss, metrics } = trainStepTensors(model, x, y, mask);
  const logs = readLogs(model, loss, metrics);
  for (const m of requireCompiled(model, 'trainOnBatch').metrics)
    if (m.finalize) setMetricLog(logs, m, m.finalize(logs[m.name]));
  return logs;
}
