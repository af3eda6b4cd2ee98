/**
 * `Model`: the base class of user models, with training, evaluation and saving.
 */
import {
  type ApplyOptions,
  type Layer,
  type LayerConfig,
  type Tensor,
  tidy,
  ValueError,
  type Variable,
} from '@rnnkit/core';
import type { SequenceOptions } from '../layers/sequence_input.js';
import {
  type LoadStateDictOptions,
  loadStateDict,
  type StateDict,
  stateDictOf,
} from '../state_dict.js';
import type { Logs } from '../training/callbacks.js';
import {
  type CompiledModel,
  type CompileOptions,
  compileOptions,
  warnActivationIntoLogits,
} from '../training/compile.js';
import {
  type EvaluateOptions,
  evaluateModel,
  type PredictOptions,
  predictModel,
} from '../training/evaluate.js';
import { type FitOptions, fitModel } from '../training/fit.js';
import type { History } from '../training/history.js';
import { trainOnBatch } from '../training/step.js';
import type { AnyLayer } from './registry.js';

/** A model's input: one tensor, or several (e.g. `[source, targetIn]` of an encoder–decoder). */
export type ModelInput = Tensor | readonly Tensor[];

/**
 * Options of {@link Model.forward}. `lengths` / `mask` describe the valid steps of the (first)
 * input; `Sequential` hands them to its first layer, from where they flow on (see
 * `sequenceLengthsOf`); a hand-written `forward` passes them to the layer that should use them.
 */
export interface ForwardOptions extends ApplyOptions, SequenceOptions {
  /** Training mode: enables dropout (default false). */
  training?: boolean;
}

/** Anything a model can hold: a layer or another model. */
export type Module = AnyLayer;

interface MaybeStateful {
  stateful?: boolean;
  forwardLayer?: { stateful?: boolean };
  resetStates?(): void;
  isStateful?(): boolean;
}

/**
 * Base class of models: compose layers (or other models) freely by registering them as named
 * children and writing `forward`. Parameters are named `child.param` (`lstm.weight_ih_l0`,
 * `head.weight`, nested models add more prefixes), as PyTorch's `state_dict` names them, so a
 * PyTorch checkpoint of the same module tree loads one to one.
 *
 * Training is Keras-style: `compile`, then `fit` / `evaluate` / `predict` / `trainOnBatch`.
 * For saving and `fromConfig`, a subclass passes its constructor options to `super` and is
 * registered with `registerLayer(className, (cfg) => new MyModel(cfg))`.
 * @example
 * ```ts
 * class Tagger extends Model {
 *   static override readonly className = 'Tagger';
 *   readonly embed: Embedding;
 *   readonly lstm: LSTM;
 *   readonly head: Dense;
 *   constructor(cfg: { vocab: number; tags: number }) {
 *     super(cfg);
 *     this.embed = this.register('embed', new Embedding({ numEmbeddings: cfg.vocab, embeddingDim: 16 }));
 *     this.lstm = this.register('lstm', new LSTM({ inputSize: 16, hiddenSize: 32, bidirectional: true }));
 *     this.head = this.register('head', new Dense({ inputSize: 64, units: cfg.tags }));
 *   }
 *   forward(x: Tensor, opts: ForwardOptions = {}) {
 *     return this.head.apply(this.lstm.apply(this.embed.apply(x), opts));
 *   }
 * }
 * registerLayer('Tagger', (cfg) => new Tagger(cfg as { vocab: number; tags: number }));
 * const tagger = new Tagger({ vocab: 50, tags: 5 });
 * const tokens = tensor([[3, 14, 15, 9], [2, 6, 5, 0]], [2, 4], 'int32');
 * check(tagger.apply(tokens).shape, [2, 4, 5]); // one score per tag and token
 * check([...tagger.namedParameters().keys()].slice(0, 2), ['embed.weight', 'lstm.weight_ih_l0']);
 * ```
 */
export abstract class Model implements Layer<ModelInput, Tensor> {
  /** Class name reported by {@link Model.getConfig}; subclasses should set it (minifiers rename classes). */
  static readonly className: string | undefined = undefined;
  /** Instance name. */
  readonly name: string;
  /** Set by a callback (e.g. early stopping) to end `fit` after the current epoch. */
  stopTraining = false;
  /** Optimizer, loss and metrics set by {@link Model.compile}. */
  compiled: CompiledModel | undefined;
  /** The options the subclass was built from (reported by {@link Model.getConfig}). */
  protected readonly config: Record<string, unknown>;
  private readonly children = new Map<string, Module>();
  private disposed = false;

  /** @param config - the subclass's constructor options (JSON-serialisable) for `getConfig`/`fromConfig`. */
  constructor(config: Record<string, unknown> = {}) {
    this.config = { ...config };
    this.name =
      typeof config.name === 'string'
        ? config.name
        : ((this.constructor as typeof Model).className ?? this.constructor.name);
  }

  /** The computation. `input` is a tensor or an array of tensors; returns the model output. */
  abstract forward(input: ModelInput, options?: ForwardOptions): Tensor;

  /** `forward` inside `tidy` (intermediates freed). */
  apply(input: ModelInput, options: ForwardOptions = {}): Tensor {
    this.assertAlive();
    return tidy(() => this.forward(input, options));
  }

  /** Registers `module` as child `name` (its parameters become `name.<param>`); returns it. */
  protected register<T extends Module>(name: string, module: T): T {
    if (!/^[A-Za-z0-9_]+$/.test(name))
      throw new ValueError(`${this.name}: child name '${name}' must be letters, digits and '_'`);
    if (this.children.has(name))
      throw new ValueError(`${this.name}: a child named '${name}' is already registered`);
    this.children.set(name, module);
    return module;
  }

  /** The registered children, in registration order. */
  namedChildren(): Map<string, Module> {
    return new Map(this.children);
  }

  /** Every parameter under its prefixed name (`0.weight_ih_l0`, `lstm.bias_hh_l0`, …). */
  namedParameters(): Map<string, Variable> {
    const out = new Map<string, Variable>();
    for (const [prefix, child] of this.children) {
      for (const [n, v] of child.namedParameters()) out.set(`${prefix}.${n}`, v);
    }
    return out;
  }

  /** Parameters in {@link Model.namedParameters} order. */
  parameters(): Variable[] {
    return [...this.namedParameters().values()];
  }

  /** The parameters optimizers update (deduplicated, trainable only). */
  trainableParameters(): Variable[] {
    return [...new Set(this.parameters())].filter((v) => v.trainable);
  }

  /** Number of scalar parameters. */
  paramCount(): number {
    return this.parameters().reduce((n, v) => n + v.size, 0);
  }

  /** `{className, config}`: the registered class name and the constructor options. */
  getConfig(): LayerConfig {
    const className = (this.constructor as typeof Model).className ?? this.constructor.name;
    return { className, config: { ...this.config, name: this.name } };
  }

  /** Copies PyTorch-named values (prefixed names) into the parameters; see `loadStateDict`. */
  loadStateDict(stateDict: StateDict, options?: LoadStateDictOptions): void {
    loadStateDict(this.name, this.namedParameters(), stateDict, options);
  }

  /** A copy of every parameter as `{shape, data}`, by prefixed name. */
  stateDict(): Record<string, { shape: number[]; data: Float64Array }> {
    return stateDictOf(this.namedParameters());
  }

  /** True when some child keeps recurrent state between calls (`stateful: true`). */
  isStateful(): boolean {
    for (const child of this.children.values()) {
      const c = child as unknown as MaybeStateful;
      if (c.stateful === true || c.forwardLayer?.stateful === true || c.isStateful?.() === true)
        return true;
    }
    return false;
  }

  /** Forgets the held states of every stateful child (start of a new text / epoch). */
  resetStates(): void {
    for (const child of this.children.values()) (child as unknown as MaybeStateful).resetStates?.();
  }

  /**
   * Sets the optimizer, the loss and the metrics `fit`, `evaluate` and `trainOnBatch` use.
   * Warns once when the output layer applies softmax (or sigmoid) and the loss takes logits.
   * @example
   * ```ts
   * const model = new Sequential([new Dense({ inputSize: 4, units: 3, seed: 0 })]);
   * model.compile({ optimizer: new Adam({ lr: 1e-2 }), loss: 'sparseCategoricalCrossEntropy', metrics: ['accuracy'] });
   * const logs = model.evaluate(randomNormal([6, 4]), tensor([0, 1, 2, 0, 1, 2], [6], 'int32'));
   * check(Object.keys(logs), ['loss', 'accuracy', 'acc']); // the name asked for (and 'acc', as before)
   * ```
   */
  compile(options: CompileOptions): void {
    this.compiled = compileOptions(options);
    warnActivationIntoLogits(this, this.outputLayer(), options.loss);
  }

  /**
   * The layer whose output is the model's, when the model knows it (`Sequential`: its last
   * layer); `compile` checks it against the loss. Undefined for a hand-written `forward`.
   */
  protected outputLayer(): Module | undefined {
    return undefined;
  }

  /**
   * Trains for `epochs` over `(x, y)` in mini-batches; see {@link FitOptions}.
   * @returns the per-epoch history of loss and metrics (and their `val_` twins).
   * @example
   * ```ts
   * // 64 sequences of 6 steps; the label says whether the first feature sums to more than 0
   * const x = randomNormal([64, 6, 2]);
   * const y = cast(greater(sum(slice(x, [0, 0, 0], [-1, -1, 1]), [1, 2]), 0), 'int32');
   * const model = new Sequential([
   *   new GRU({ inputSize: 2, hiddenSize: 8, returnSequences: false, seed: 0 }),
   *   new Dense({ inputSize: 8, units: 2, seed: 0 }),
   * ]);
   * model.compile({ optimizer: new Adam({ lr: 1e-2 }), loss: 'sparseCategoricalCrossEntropy', metrics: ['accuracy'] });
   * const history = await model.fit(x, y, { epochs: 20, batchSize: 16, validationSplit: 0.25, verbose: 0,
   *   callbacks: [new EarlyStopping({ patience: 3, restoreBestWeights: true })] });
   * check(Object.keys(history.history).sort(), ['acc', 'accuracy', 'loss', 'val_acc', 'val_accuracy', 'val_loss']);
   * check(history.history.loss.at(-1)! < history.history.loss[0], true);
   * ```
   */
  fit(x: ModelInput, y: Tensor, options: FitOptions = {}): Promise<History> {
    this.assertAlive();
    return fitModel(this, x, y, options);
  }

  /** Loss and metrics over `(x, y)`, without training. */
  evaluate(x: ModelInput, y: Tensor, options: EvaluateOptions = {}): Logs {
    this.assertAlive();
    return evaluateModel(this, x, y, options);
  }

  /** The model's outputs for `x`, computed in batches and concatenated. */
  predict(x: ModelInput, options: PredictOptions = {}): Tensor {
    this.assertAlive();
    return predictModel(this, x, options);
  }

  /** One optimizer step on one batch; returns its loss and metrics. */
  trainOnBatch(x: ModelInput, y: Tensor, mask?: Tensor): Logs {
    this.assertAlive();
    return trainOnBatch(this, x, y, mask);
  }

  /** Frees every child's parameters and states, and the optimizer's slots. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const child of this.children.values()) child.dispose();
    this.compiled?.optimizer.dispose();
  }

  private assertAlive(): void {
    if (this.disposed) throw new ValueError(`${this.name}: the model was disposed`);
  }
}
