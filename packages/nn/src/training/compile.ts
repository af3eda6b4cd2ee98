/**
 * `model.compile`: its options, and the checks that a model is compiled before training.
 */
import { type Tensor, ValueError, type Variable } from '@rnnkit/core';
import { binaryCrossEntropyWithLogits } from '../losses/binary_cross_entropy.js';
import { categoricalCrossEntropy, sparseCategoricalCrossEntropy } from '../losses/cross_entropy.js';
import { getLoss, type LossFn, type LossName } from '../losses/registry.js';
import { getMetric, type Metric } from '../metrics/index.js';
import type { MetricName } from '../metrics/registry.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { getOptimizer, type OptimizerName } from '../optimizers/registry.js';
import type { CallbackModel } from './callbacks.js';

/** Options of `model.compile`. */
export interface CompileOptions {
  /** An optimizer instance or name (default options). */
  optimizer: Optimizer | OptimizerName;
  /** A loss name or function `(predictions, targets, mask?) => scalar`. */
  loss: LossName | LossFn;
  /** Metrics to report besides the loss (`'accuracy'`, `'perplexity'` or {@link Metric}s). */
  metrics?: readonly (MetricName | Metric)[];
}

/** The resolved compile options. */
export interface CompiledModel {
  /** The optimizer. */
  optimizer: Optimizer;
  /** The loss. */
  loss: LossFn;
  /** The metrics. */
  metrics: Metric[];
}

/** The model surface the training functions use. */
export interface TrainableModel extends CallbackModel {
  /** Instance name (for messages). */
  readonly name: string;
  /** Set by `compile`. */
  compiled: CompiledModel | undefined;
  /** The computation. */
  forward(
    input: Tensor | readonly Tensor[],
    options?: { training?: boolean; lengths?: readonly number[] },
  ): Tensor;
  /** Parameters the optimizer updates. */
  trainableParameters(): Variable[];
  /** Whether recurrent state is carried between batches. */
  isStateful(): boolean;
  /** Forgets carried state. */
  resetStates(): void;
}

const LOGIT_LOSSES = new Set<unknown>([
  'sparseCategoricalCrossEntropy',
  'categoricalCrossEntropy',
  'binaryCrossEntropy',
  sparseCategoricalCrossEntropy,
  categoricalCrossEntropy,
  binaryCrossEntropyWithLogits,
]);

/** Whether a loss given to `compile` takes logits (applies (log-)softmax or sigmoid itself). */
export function lossTakesLogits(loss: LossName | LossFn): boolean {
  return LOGIT_LOSSES.has(loss);
}

const warned = new WeakSet<object>();

/**
 * Warns once per model when its output layer applies softmax (or sigmoid) and the loss takes
 * logits: the loss would apply it a second time and train something else than intended.
 */
export function warnActivationIntoLogits(
  model: object & { readonly name: string },
  output: unknown,
  loss: LossName | LossFn,
): void {
  const activation = (output as { activation?: unknown } | undefined)?.activation;
  if ((activation !== 'softmax' && activation !== 'sigmoid') || !lossTakesLogits(loss)) return;
  if (warned.has(model)) return;
  warned.add(model);
  const lossName = typeof loss === 'string' ? `'${loss}'` : (loss.name ?? 'the loss');
  console.warn(
    `${model.name}.compile: the last layer '${(output as { name?: string }).name}' applies ${activation}, but loss ${lossName} expects logits ` +
      `and applies ${activation === 'softmax' ? 'log-softmax' : 'the sigmoid'} itself, so training would apply it twice. ` +
      `Give that layer activation 'linear' (the default) and apply ${activation} only when you need probabilities.`,
  );
}

/** Resolves names in {@link CompileOptions}. */
export function compileOptions(options: CompileOptions): CompiledModel {
  if (options === null || typeof options !== 'object')
    throw new ValueError('compile: options must be an object');
  return {
    optimizer: getOptimizer(options.optimizer),
    loss: getLoss(options.loss),
    metrics: (options.metrics ?? []).map(getMetric),
  };
}

/** The compiled state, or a clear error when `compile` was not called. */
export function requireCompiled(model: TrainableModel, method: string): CompiledModel {
  if (!model.compiled)
    throw new ValueError(`${model.name}.${method}: call model.compile({ optimizer, loss }) first`);
  return model.compiled;
}
