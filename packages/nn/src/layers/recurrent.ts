/**
 * What LSTM, GRU and SimpleRNN share: the stacked, optionally bidirectional recurrent layer over
 * core's fused op.
 */
import {
  type ApplyOptions,
  checkpointSegment,
  concat,
  GATES_PER_MODE,
  type LayerConfig,
  type Random,
  type RnnMode,
  type RnnParamSlot,
  type RnnSequenceArgs,
  type RnnSequenceResult,
  reverse,
  rnnParamNames,
  rnnSequence,
  rnnSequenceReference,
  slice,
  stack,
  type Tensor,
  tidy,
  ValueError,
  zeros,
} from '@rnnkit/core';
import { checkInitializer, type Initializer, initialTensor, resolveRng } from '../initializers.js';
import { BaseLayer, checkFloatDType, checkOneOf, checkPositiveInt } from './base.js';
import { checkRate, dropout } from './dropout.js';
import {
  callLengths,
  carryLengths,
  checkSequenceInput,
  checkStateTensor,
  lastOutputs,
  lengthsTensor,
  StateStore,
  stateSlice,
} from './sequence_input.js';

/** How a recurrent layer runs each layer and direction. */
export type RecurrentImplementation = 'fused' | 'composed';

/** Options shared by {@link LSTM}, {@link GRU} and {@link SimpleRNN}. */
export interface RecurrentLayerOptions {
  /** Features per input step (`I`). */
  inputSize: number;
  /** Features of the hidden state (`H`). */
  hiddenSize: number;
  /** Stacked layers (`L`, default 1); layer k ≥ 1 reads layer k−1's output. */
  numLayers?: number;
  /** Run a reverse direction too (PyTorch's `bidirectional`, default false). */
  bidirectional?: boolean;
  /** Dropout rate on the outputs of every layer but the last, when training (default 0). */
  dropout?: number;
  /** `apply` returns every step (default true) or only the last valid one. */
  returnSequences?: boolean;
  /** `apply` returns `[output, hN]` (LSTM: `[output, hN, cN]`) (default false). */
  returnState?: boolean;
  /** Keras' `go_backwards`: read the sequence from its end, outputs in that order (default false). */
  goBackwards?: boolean;
  /** Keep the final states and start the next call from them (default false). */
  stateful?: boolean;
  /** Parameter dtype (default `'float32'`). */
  dtype?: 'float32' | 'float64';
  /** Learn the biases `b_ih` and `b_hh` (default true); `false` as PyTorch's `bias=False`: no bias parameters. */
  bias?: boolean;
  /** Seeds initialisation and inter-layer dropout. */
  seed?: number;
  /** Generator for initialisation and dropout (takes precedence over `seed`; default the global one). */
  rng?: Random;
  /** Instance name. */
  name?: string;
  /** Initialiser of `weight_ih_l*` (default `'pytorchUniform'`, ±1/√H). */
  kernelInitializer?: Initializer;
  /** Initialiser of `weight_hh_l*` (default `'pytorchUniform'`; `'orthogonal'` is a common choice). */
  recurrentInitializer?: Initializer;
  /** Initialiser of `bias_ih_l*` and `bias_hh_l*` (default `'pytorchUniform'`). */
  biasInitializer?: Initializer;
  /** `'fused'` (default): the backend's fused kernel; `'composed'`: core's step-by-step reference. */
  implementation?: RecurrentImplementation;
  /**
   * Checkpointed backpropagation through time, for long sequences (default false): the forward
   * pass keeps the state only at segment boundaries and the backward pass recomputes each
   * segment before differentiating it, so the memory kept for training grows as √T instead of
   * T, for about one extra forward pass of compute. Gradients are the same. `true` uses
   * segments of ⌈√T⌉ steps; a positive integer sets the segment length. Applies to every layer
   * and direction of the fused implementation (the composed reference keeps its tape).
   */
  checkpoint?: boolean | number;
}

/** Initial state of a recurrent call: `[L·D, B, H]` stacks (states are never batch-first). */
export interface RecurrentState {
  /** Hidden state, `[numLayers·numDirections, batch, hiddenSize]`. */
  h: Tensor;
  /** Cell state (LSTM only, required there), same shape. */
  c?: Tensor;
}

/** Per-call options of {@link RecurrentLayer.forward}. */
export interface RecurrentForwardOptions {
  /** Initial states; zeros (or a stateful layer's held states) when absent. */
  initialState?: RecurrentState;
  /**
   * Valid steps per sequence: int32 `[B]` tensor or array, each in `[0, T]`. When neither this
   * nor `mask` is given, the lengths `x` carries (from an `Embedding` with `paddingIdx`, see
   * `sequenceLengthsOf`) are used; without those, every step is valid.
   */
  lengths?: Tensor | readonly number[];
  /** `[B, T]` 0/1 prefix mask (ones then zeros per row), an alternative to `lengths`. */
  mask?: Tensor;
  /** Training mode: enables inter-layer dropout (default false). */
  training?: boolean;
}

/** Per-call options of {@link RecurrentLayer.apply} (Keras style). */
export interface RecurrentApplyOptions
  extends ApplyOptions,
    Omit<RecurrentForwardOptions, 'training'> {}

/** Result of {@link RecurrentLayer.forward}, as PyTorch returns it (batch-first). */
export interface RecurrentOutput {
  /** `[B, T, D·H]`: the last layer's outputs, zero at padded steps. */
  output: Tensor;
  /** `[L·D, B, H]`: each layer's and direction's final hidden state. */
  hN: Tensor;
  /** `[L·D, B, H]`: final cell states (LSTM only). */
  cN?: Tensor;
}

/**
 * What a recurrent layer's `apply` returns: the output tensor, or with `returnState: true`
 * the tuple `[output, hN]` (`[output, hN, cN]` for an LSTM).
 */
export type RecurrentApplyOutput<
  ReturnState extends boolean,
  IsLSTM extends boolean,
> = ReturnState extends true
  ? IsLSTM extends true
    ? [output: Tensor, hN: Tensor, cN: Tensor]
    : [output: Tensor, hN: Tensor]
  : Tensor;

/** Sizes from which {@link recurrentParamCount} counts parameters. */
export interface RecurrentSizes {
  /** Cell type (`'LSTM'`, `'GRU'`, `'RNN_TANH'` or `'RNN_RELU'`). */
  mode: RnnMode;
  /** `I`. */
  inputSize: number;
  /** `H`. */
  hiddenSize: number;
  /** `L` (default 1). */
  numLayers?: number;
  /** `D = 2` when true (default false). */
  bidirectional?: boolean;
  /** With biases (default true). */
  bias?: boolean;
}

/**
 * The number of scalar parameters of a recurrent stack with PyTorch's two biases. With G gate
 * blocks (1 SimpleRNN, 4 LSTM, 3 GRU), D directions and L layers:
 * `D·G·(H·(H+I) + 2H) + (L−1)·D·G·(H·(H+D·H) + 2H)`.
 * For one layer and direction that is `G·(H·(H+I) + 2H)`: `H·(H+I) + 2H` for a SimpleRNN,
 * one `H` more than the textbook (and Keras) count `h·(h+x) + h`, because PyTorch keeps two
 * bias vectors, `b_ih` and `b_hh`, where one would do (their sum is what acts; GRU's `b_hn`
 * is the exception, multiplied by the reset gate). With `bias: false` the `2H` terms vanish.
 * @example
 * ```ts
 * check(recurrentParamCount({ mode: 'RNN_TANH', inputSize: 3, hiddenSize: 5 }), 5 * (5 + 3) + 2 * 5);
 * check(recurrentParamCount({ mode: 'LSTM', inputSize: 3, hiddenSize: 5, bias: false }), 4 * 5 * (5 + 3));
 * ```
 */
export function recurrentParamCount(sizes: RecurrentSizes): number {
  const G = GATES_PER_MODE[sizes.mode];
  const H = sizes.hiddenSize;
  const D = sizes.bidirectional ? 2 : 1;
  const L = sizes.numLayers ?? 1;
  const biases = sizes.bias === false ? 0 : 2 * H;
  const perDirection = (inSize: number) => G * (H * (H + inSize) + biases);
  return D * perDirection(sizes.inputSize) + (L - 1) * D * perDirection(D * H);
}

/**
 * Base class of {@link SimpleRNN}, {@link LSTM} and {@link GRU}: PyTorch's multi-layer,
 * optionally bidirectional recurrence (batch-first) with Keras' conveniences.
 *
 * - `forward(x, {initialState, lengths | mask, training})` returns `{output, hN, cN?}` exactly
 *   as PyTorch does (padded steps: zero output, state frozen, no gradient; the reverse
 *   direction starts at each sequence's own last step, as with packed sequences).
 * - `apply(x, options)` is the Keras-style call governed by `returnSequences` and `returnState`.
 *
 * Parameters are named and shaped as PyTorch's (`weight_ih_l0 [G·H, I]`, `weight_hh_l0 [G·H, H]`,
 * `bias_ih_l0 [G·H]`, `bias_hh_l0 [G·H]`, then `…_reverse`, then layer 1, …), so a PyTorch
 * `state_dict` loads one to one with {@link BaseLayer.loadStateDict}. Each layer, both of its
 * directions together when bidirectional, is one call of core's `rnnSequence` (or
 * `rnnSequenceReference` with `implementation: 'composed'`).
 */
export abstract class RecurrentLayer<
  Out extends Tensor | Tensor[] = Tensor | Tensor[],
> extends BaseLayer<Tensor, Out> {
  /** Registered class name (`'LSTM'`, `'GRU'`, `'SimpleRNN'`). */
  readonly className: string;
  /** Cell type passed to the kernels. */
  readonly mode: RnnMode;
  /** Gate blocks per weight matrix. */
  readonly gates: number;
  /** `I`. */
  readonly inputSize: number;
  /** `H`. */
  readonly hiddenSize: number;
  /** `L`. */
  readonly numLayers: number;
  /** Whether a reverse direction runs too. */
  readonly bidirectional: boolean;
  /** `D`: 2 when bidirectional, else 1. */
  readonly numDirections: number;
  /** Inter-layer dropout rate (training only). */
  readonly dropout: number;
  /** See {@link RecurrentLayerOptions.returnSequences}. */
  readonly returnSequences: boolean;
  /** See {@link RecurrentLayerOptions.returnState}. */
  readonly returnState: boolean;
  /** See {@link RecurrentLayerOptions.goBackwards}. */
  readonly goBackwards: boolean;
  /** See {@link RecurrentLayerOptions.stateful}. */
  readonly stateful: boolean;
  /** Whether the layer has bias parameters. */
  readonly bias: boolean;
  /** Fused kernel or composed reference. */
  readonly implementation: RecurrentImplementation;
  /** See {@link RecurrentLayerOptions.checkpoint}. */
  readonly checkpoint: boolean | number;
  /** The generator used for initialisation and dropout. */
  protected readonly rng: Random;
  private readonly options: RecurrentLayerOptions;
  private readonly store = new StateStore();

  protected constructor(
    className: string,
    mode: RnnMode,
    options: RecurrentLayerOptions,
    defaultName: string,
  ) {
    if (options === null || typeof options !== 'object') {
      throw new ValueError(`${className}: options must be an object, got ${String(options)}`);
    }
    super(options.name ?? defaultName, checkFloatDType(className, options.dtype));
    this.className = className;
    this.mode = mode;
    this.gates = GATES_PER_MODE[mode];
    this.inputSize = checkPositiveInt(className, 'inputSize', options.inputSize);
    this.hiddenSize = checkPositiveInt(className, 'hiddenSize', options.hiddenSize);
    this.numLayers = checkPositiveInt(className, 'numLayers', options.numLayers ?? 1);
    this.bidirectional = checkBool(className, 'bidirectional', options.bidirectional, false);
    this.numDirections = this.bidirectional ? 2 : 1;
    this.dropout = checkRate(className, 'dropout', options.dropout ?? 0, false);
    this.returnSequences = checkBool(className, 'returnSequences', options.returnSequences, true);
    this.returnState = checkBool(className, 'returnState', options.returnState, false);
    this.goBackwards = checkBool(className, 'goBackwards', options.goBackwards, false);
    this.stateful = checkBool(className, 'stateful', options.stateful, false);
    this.bias = checkBool(className, 'bias', options.bias, true);
    this.implementation = checkOneOf(
      className,
      'implementation',
      options.implementation,
      ['fused', 'composed'],
      'fused',
    );
    this.checkpoint = options.checkpoint ?? false;
    checkpointSegment(1, this.checkpoint, className, "option 'checkpoint'");
    if (this.goBackwards && this.bidirectional) {
      throw new ValueError(
        `${className}: options 'goBackwards' and 'bidirectional' cannot both be true`,
      );
    }
    checkInitializer(className, 'kernelInitializer', options.kernelInitializer);
    checkInitializer(className, 'recurrentInitializer', options.recurrentInitializer);
    checkInitializer(className, 'biasInitializer', options.biasInitializer);
    this.options = { ...options };
    this.rng = resolveRng(className, options.seed, options.rng);
    this.buildParameters();
  }

  private buildParameters(): void {
    const { gates: G, hiddenSize: H, numDirections: D } = this;
    const bound = 1 / Math.sqrt(H);
    const kernelInit = this.options.kernelInitializer ?? 'pytorchUniform';
    const recurrentInit = this.options.recurrentInitializer ?? 'pytorchUniform';
    const biasInit = this.options.biasInitializer ?? 'pytorchUniform';
    for (let l = 0; l < this.numLayers; l++) {
      const inSize = l === 0 ? this.inputSize : D * H;
      for (let d = 0; d < D; d++) {
        const names = rnnParamNames(l, d === 1);
        const base = { fanOut: G * H, gates: G, uniformBound: bound };
        this.addParameter(
          names.wIh,
          initialTensor(
            kernelInit,
            { ...base, shape: [G * H, inSize], fanIn: inSize },
            this.rng,
            this.dtype,
          ),
        );
        this.addParameter(
          names.wHh,
          initialTensor(
            recurrentInit,
            { ...base, shape: [G * H, H], fanIn: H },
            this.rng,
            this.dtype,
          ),
        );
        if (!this.bias) continue;
        this.addParameter(
          names.bIh,
          initialTensor(biasInit, { ...base, shape: [G * H], fanIn: H }, this.rng, this.dtype),
        );
        this.addParameter(
          names.bHh,
          initialTensor(biasInit, { ...base, shape: [G * H], fanIn: H }, this.rng, this.dtype),
        );
      }
    }
  }

  /**
   * PyTorch-style call on a batch-first `x [B, T, inputSize]`.
   * @returns `{output [B, T, D·H], hN [L·D, B, H], cN}`; new tensors owned by the caller.
   * With `goBackwards`, `output` is in processing order (step 0 holds the last valid input's
   * result). A stateful layer keeps `hN`/`cN` for its next call.
   */
  forward(x: Tensor, options: RecurrentForwardOptions = {}): RecurrentOutput {
    this.assertNotDisposed();
    const owner = `${this.name}.forward`;
    const { B, T } = checkSequenceInput(owner, x, this.inputSize, this.dtype);
    if (options === null || typeof options !== 'object')
      throw new ValueError(`${owner}: options must be an object`);
    const valid = callLengths(owner, x, options);
    return tidy(() => {
      const lengths = lengthsTensor(T, valid);
      const init = this.initialState(owner, B, options.initialState);
      const r = this.runStack(x, init, lengths, options.training ?? false, this.goBackwards);
      // goBackwards puts the padded steps first: its output no longer carries prefix lengths
      const output = this.goBackwards ? reverse(r.output, 1) : carryLengths(r.output, valid);
      if (this.stateful) this.store.set(r.hN, r.cN);
      return r.cN ? { output, hN: r.hN, cN: r.cN } : { output, hN: r.hN };
    });
  }

  /**
   * Keras-style call: the output sequence `[B, T, D·H]` (`returnSequences`, the default) or the
   * last output `[B, D·H]` (each direction's final state: for a forward direction the output at
   * the sequence's last valid step, for the reverse one its state after step 0, as Keras'
   * `Bidirectional` does); with `returnState`, `[output, hN, cN?]`.
   */
  apply(x: Tensor, options: RecurrentApplyOptions = {}): Out {
    return tidy(() => {
      const r = this.forward(x, options);
      const out = this.returnSequences
        ? r.output
        : lastOutputs(r.hN, this.numLayers, this.numDirections);
      if (!this.returnState) return out;
      return r.cN ? [out, r.hN, r.cN] : [out, r.hN];
    }) as Out;
  }

  /**
   * Number of scalar parameters, counted as PyTorch does: `G·(H·(H+I) + 2H)` per layer and
   * direction for the first layer (G = 1 SimpleRNN, 4 LSTM, 3 GRU). That is one `H` per gate
   * block more than the textbook `h·(h+x) + h` (and Keras), because PyTorch keeps two bias
   * vectors, `b_ih` and `b_hh`; with `bias: false` there are none. See
   * {@link recurrentParamCount} for stacks and directions.
   */
  override paramCount(): number {
    return super.paramCount();
  }

  /** A stateful layer's held states (not copies), or undefined. */
  getStates(): RecurrentState | undefined {
    return this.store.peek();
  }

  /** Forgets a stateful layer's held states: the next call starts from zeros. */
  resetStates(): void {
    this.store.reset();
  }

  /** Frees every parameter and held state. */
  override dispose(): void {
    this.store.reset();
    super.dispose();
  }

  /** `{className, config}` with every option resolved (initialiser functions appear as `'custom'`). */
  getConfig(): LayerConfig {
    const initName = (i: Initializer | undefined) =>
      typeof i === 'function' ? 'custom' : (i ?? 'pytorchUniform');
    const config: Record<string, unknown> = {
      name: this.name,
      inputSize: this.inputSize,
      hiddenSize: this.hiddenSize,
      numLayers: this.numLayers,
      bidirectional: this.bidirectional,
      dropout: this.dropout,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      bias: this.bias,
      dtype: this.dtype,
      seed: this.options.seed,
      kernelInitializer: initName(this.options.kernelInitializer),
      recurrentInitializer: initName(this.options.recurrentInitializer),
      biasInitializer: initName(this.options.biasInitializer),
      implementation: this.implementation,
      checkpoint: this.checkpoint,
      ...this.extraConfig(),
    };
    return { className: this.className, config };
  }

  /** Subclass-specific options for {@link RecurrentLayer.getConfig}. */
  protected extraConfig(): Record<string, unknown> {
    return {};
  }

  /**
   * @internal A unidirectional single-layer twin with fresh weights drawn from this layer's
   * generator (used by `Bidirectional`).
   */
  makeTwin(): RecurrentLayer {
    const ctor = this.constructor as new (options: RecurrentLayerOptions) => RecurrentLayer;
    return new ctor({
      ...this.options,
      ...this.extraConfig(),
      name: `${this.name}_reverse`,
      stateful: false,
      goBackwards: false,
      seed: undefined,
      rng: this.rng,
    });
  }

  /** @internal The checked initial state: given, held (stateful), or undefined for zeros. */
  initialState(
    owner: string,
    B: number,
    given: RecurrentState | undefined,
  ): RecurrentState | undefined {
    const shape = [this.numLayers * this.numDirections, B, this.hiddenSize];
    if (given === undefined) return this.stateful ? this.store.get(owner, B) : undefined;
    if (given === null || typeof given !== 'object') {
      throw new ValueError(
        `${owner}: option 'initialState' must be an object {h${this.mode === 'LSTM' ? ', c' : ''}}`,
      );
    }
    const h = checkStateTensor(owner, "option 'initialState.h'", given.h, shape, this.dtype);
    if (this.mode === 'LSTM') {
      if (given.c === undefined)
        throw new ValueError(`${owner}: option 'initialState.c' is required for an LSTM`);
      return {
        h,
        c: checkStateTensor(owner, "option 'initialState.c'", given.c, shape, this.dtype),
      };
    }
    if (given.c !== undefined)
      throw new ValueError(
        `${owner}: option 'initialState.c' is only for an LSTM, got one for ${this.className}`,
      );
    return { h };
  }

  /**
   * @internal Runs every layer (x already checked): one fused call per layer, both directions
   * of a bidirectional layer in the same call (weights stacked per direction on the tape).
   * `reverseAll` flips which direction runs backwards (goBackwards, Bidirectional's twin).
   * Output in time order.
   */
  runStack(
    x: Tensor,
    init: RecurrentState | undefined,
    lengths: Tensor | undefined,
    training: boolean,
    reverseAll: boolean,
  ): RecurrentOutput {
    const { numDirections: D, hiddenSize: H } = this;
    const B = x.shape[0];
    // Per layer: [B, H] states with one direction, [2, B, H] with two.
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    const initial = (state: Tensor | undefined, l: number) =>
      state
        ? D === 1
          ? stateSlice(state, l)
          : slice(state, [l * D, 0, 0], [D, B, H])
        : zeros(D === 1 ? [B, H] : [D, B, H], this.dtype);
    let input = x;
    for (let l = 0; l < this.numLayers; l++) {
      const directions = Array.from(
        { length: D },
        (_, d) => (slot: RnnParamSlot) => this.param(rnnParamNames(l, d === 1)[slot]),
      );
      const r = this.callLayer(directions, {
        x: input,
        h0: initial(init?.h, l),
        c0: this.mode === 'LSTM' ? initial(init?.c, l) : undefined,
        lengths,
        reverse: reverseAll,
      });
      hs.push(r.hN);
      if (r.cN) cs.push(r.cN);
      input = r.y;
      if (training && this.dropout > 0 && l < this.numLayers - 1)
        input = dropout(input, this.dropout, this.rng);
    }
    const joinStates = (states: Tensor[]) => (D === 1 ? stack(states, 0) : concat(states, 0));
    const hN = joinStates(hs);
    return cs.length > 0 ? { output: input, hN, cN: joinStates(cs) } : { output: input, hN };
  }

  /**
   * @internal Runs this single-layer, unidirectional layer forwards and `twin` (its reversed
   * twin, made by {@link RecurrentLayer.makeTwin}) backwards in one two-direction call
   * (`Bidirectional`). `init` holds `[2, B, H]` states. Output `[B, T, 2H]` (this layer's
   * features first), `hN`/`cN` `[2, B, H]`.
   */
  runWithTwin(
    twin: RecurrentLayer,
    x: Tensor,
    init: RecurrentState | undefined,
    lengths: Tensor | undefined,
  ): RecurrentOutput {
    const state = (t: Tensor | undefined) =>
      t ?? zeros([2, x.shape[0], this.hiddenSize], this.dtype);
    const names = rnnParamNames(0, false);
    const r = this.callLayer(
      [(slot) => this.param(names[slot]), (slot) => twin.param(names[slot])],
      {
        x,
        h0: state(init?.h),
        c0: this.mode === 'LSTM' ? state(init?.c) : undefined,
        lengths,
        reverse: false,
      },
    );
    return r.cN ? { output: r.y, hN: r.hN, cN: r.cN } : { output: r.y, hN: r.hN };
  }

  /**
   * One layer's call of core's fused op (or its composed reference): one direction, or two with
   * the parameters of each slot stacked per direction. `directions` gives each direction's
   * parameter of a slot.
   */
  private callLayer(
    directions: ((slot: RnnParamSlot) => Tensor)[],
    args: Pick<RnnSequenceArgs, 'x' | 'h0' | 'c0' | 'lengths' | 'reverse'>,
  ): RnnSequenceResult {
    const D = directions.length;
    const run: (a: RnnSequenceArgs) => RnnSequenceResult =
      this.implementation === 'fused' ? rnnSequence : rnnSequenceReference;
    const param = (slot: RnnParamSlot) =>
      D === 1
        ? directions[0](slot)
        : stack(
            directions.map((of) => of(slot)),
            0,
          );
    const GH = this.gates * this.hiddenSize;
    const noBias = this.bias ? undefined : zeros(D === 1 ? [GH] : [D, GH], this.dtype);
    return run({
      ...args,
      mode: this.mode,
      wIh: param('wIh'),
      wHh: param('wHh'),
      bIh: noBias ?? param('bIh'),
      bHh: noBias ?? param('bHh'),
      bidirectional: D === 2,
      checkpoint: this.checkpoint,
    });
  }
}

function checkBool(owner: string, option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new ValueError(`${owner}: option '${option}' must be a boolean, got ${String(value)}`);
  return value;
}
