/**
 * The `Bidirectional` wrapper: runs a recurrent layer in both directions and merges the outputs.
 */
import {
  add,
  concat,
  type LayerConfig,
  mul,
  slice,
  type Tensor,
  tidy,
  ValueError,
  type Variable,
} from '@rnnkit/core';
import { BaseLayer, checkOneOf } from './base.js';
import {
  type RecurrentApplyOptions,
  type RecurrentForwardOptions,
  RecurrentLayer,
  type RecurrentOutput,
  type RecurrentState,
} from './recurrent.js';
import {
  callLengths,
  carryLengths,
  checkSequenceInput,
  checkStateTensor,
  lengthsTensor,
  StateStore,
  stateSlice,
} from './sequence_input.js';

/** How {@link Bidirectional} combines the two directions' outputs. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';

const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave'];

/** Options of {@link Bidirectional}. */
export interface BidirectionalOptions {
  /** `'concat'` (default; forward features first, as PyTorch), `'sum'`, `'mul'` or `'ave'`. */
  mergeMode?: MergeMode;
  /** Instance name (default `bidirectional_<layer name>`). */
  name?: string;
}

/**
 * Wraps a unidirectional single-layer recurrent layer and builds its reversed twin (same class
 * and options, fresh weights drawn from the wrapped layer's generator). The twin runs from
 * each sequence's last valid step backwards, with outputs kept in time order, so with
 * `mergeMode: 'concat'` the result equals PyTorch's `bidirectional=True` layer, and the
 * parameters are named like PyTorch's: `weight_ih_l0, …, bias_hh_l0, weight_ih_l0_reverse, …`.
 * Both directions run in one fused two-direction call, which a backend may spread over two
 * threads.
 *
 * `returnSequences`, `returnState` and `stateful` are taken from the wrapped layer. `forward`
 * returns `{output [B, T, 2H] (concat) or [B, T, H], hN [2, B, H], cN?}`; `apply` returns the
 * merged sequence, or the merged final states `[B, 2H]`/`[B, H]` (Keras' `Bidirectional`), and
 * with `returnState` `[output, hN, cN?]`.
 * @example
 * ```ts
 * const bi = new Bidirectional(new GRU({ inputSize: 8, hiddenSize: 16, seed: 0 }), { mergeMode: 'sum' });
 * const x = randomNormal([2, 7, 8]);
 * const { output, hN } = bi.forward(x, { lengths: [7, 4] }); // output [2, 7, 16], hN [2, 2, 16]
 * check([output.shape, hN.shape], [[2, 7, 16], [2, 2, 16]]);
 * check([...bi.namedParameters().keys()].at(-1), 'bias_hh_l0_reverse'); // PyTorch's names
 * ```
 */
export class Bidirectional<Out extends Tensor | Tensor[] = Tensor | Tensor[]> extends BaseLayer<
  Tensor,
  Out
> {
  /** The wrapped layer (forward direction). */
  readonly forwardLayer: RecurrentLayer;
  /** The reversed twin (backward direction). */
  readonly backwardLayer: RecurrentLayer;
  /** How outputs are merged. */
  readonly mergeMode: MergeMode;
  private readonly store = new StateStore();
  private released = false;

  /** `apply` returns what the wrapped layer's does (`[output, hN, cN?]` with `returnState`). */
  constructor(layer: RecurrentLayer<Out>, options: BidirectionalOptions = {}) {
    if (!(layer instanceof RecurrentLayer)) {
      throw new ValueError(
        `Bidirectional: argument 'layer' must be a recurrent layer (SimpleRNN, LSTM or GRU), got ${String(layer)}`,
      );
    }
    if (layer.numLayers !== 1 || layer.bidirectional || layer.goBackwards) {
      throw new ValueError(
        `Bidirectional: argument 'layer' must be unidirectional, single-layer and not goBackwards; got numLayers=${layer.numLayers}, ` +
          `bidirectional=${layer.bidirectional}, goBackwards=${layer.goBackwards}`,
      );
    }
    super(options.name ?? `bidirectional_${layer.name}`, layer.dtype);
    this.mergeMode = checkOneOf(
      'Bidirectional',
      'mergeMode',
      options.mergeMode,
      MERGE_MODES,
      'concat',
    );
    this.forwardLayer = layer;
    this.backwardLayer = layer.makeTwin();
  }

  /** Features of each output step: `2H` for concat, `H` otherwise. */
  get outputSize(): number {
    return this.mergeMode === 'concat'
      ? 2 * this.forwardLayer.hiddenSize
      : this.forwardLayer.hiddenSize;
  }

  /** PyTorch-style call; see the class documentation. The initial state is `[2, B, H]`. */
  forward(x: Tensor, options: RecurrentForwardOptions = {}): RecurrentOutput {
    this.assertNotDisposed();
    const fw = this.forwardLayer;
    const owner = `${this.name}.forward`;
    const { B, T } = checkSequenceInput(owner, x, fw.inputSize, fw.dtype);
    const valid = callLengths(owner, x, options);
    return tidy(() => {
      const lengths = lengthsTensor(T, valid);
      const init = this.initialState(owner, B, options.initialState);
      // Both directions in one call (the backend may run them at the same time); single-layer,
      // so there is no inter-layer dropout and `training` changes nothing.
      const r = fw.runWithTwin(this.backwardLayer, x, init, lengths);
      const H = fw.hiddenSize;
      const half = (d: number) => slice(r.output, [0, 0, d * H], [B, T, H]);
      const merged = this.mergeMode === 'concat' ? r.output : this.merge(half(0), half(1));
      const output = carryLengths(merged, valid);
      const { hN, cN } = r;
      if (fw.stateful) this.store.set(hN, cN);
      return cN ? { output, hN, cN } : { output, hN };
    });
  }

  /** Keras-style call; see the class documentation. */
  apply(x: Tensor, options: RecurrentApplyOptions = {}): Out {
    return tidy((): Tensor | Tensor[] => {
      const r = this.forward(x, options);
      const out = this.forwardLayer.returnSequences
        ? r.output
        : this.merge(stateSlice(r.hN, 0), stateSlice(r.hN, 1));
      if (!this.forwardLayer.returnState) return out;
      return r.cN ? [out, r.hN, r.cN] : [out, r.hN];
    }) as Out;
  }

  private merge(a: Tensor, b: Tensor): Tensor {
    switch (this.mergeMode) {
      case 'sum':
        return add(a, b);
      case 'mul':
        return mul(a, b);
      case 'ave':
        return mul(add(a, b), 0.5);
      default:
        return concat([a, b], a.rank - 1);
    }
  }

  private initialState(
    owner: string,
    B: number,
    given: RecurrentState | undefined,
  ): RecurrentState | undefined {
    const fw = this.forwardLayer;
    if (given === undefined) return fw.stateful ? this.store.get(owner, B) : undefined;
    const shape = [2, B, fw.hiddenSize];
    if (given === null || typeof given !== 'object')
      throw new ValueError(`${owner}: option 'initialState' must be an object {h, c?}`);
    const h = checkStateTensor(owner, "option 'initialState.h'", given.h, shape, fw.dtype);
    if (fw.mode === 'LSTM') {
      if (given.c === undefined)
        throw new ValueError(`${owner}: option 'initialState.c' is required for an LSTM`);
      return { h, c: checkStateTensor(owner, "option 'initialState.c'", given.c, shape, fw.dtype) };
    }
    if (given.c !== undefined)
      throw new ValueError(`${owner}: option 'initialState.c' is only for an LSTM`);
    return { h };
  }

  /** Forward parameters under their names, then the twin's with the `_reverse` suffix (PyTorch's order). */
  override namedParameters(): Map<string, Variable> {
    const out = new Map<string, Variable>();
    for (const [n, v] of this.forwardLayer.namedParameters()) out.set(n, v);
    for (const [n, v] of this.backwardLayer.namedParameters()) out.set(`${n}_reverse`, v);
    return out;
  }

  /** The held states of a stateful layer (`[2, B, H]`), or undefined. */
  getStates(): RecurrentState | undefined {
    return this.store.peek();
  }

  /** Forgets held states. */
  resetStates(): void {
    this.store.reset();
  }

  /** `{className: 'Bidirectional', config: {layer: <wrapped layer's config>, mergeMode, name}}`. */
  getConfig(): LayerConfig {
    return {
      className: 'Bidirectional',
      config: { layer: this.forwardLayer.getConfig(), mergeMode: this.mergeMode, name: this.name },
    };
  }

  /** Frees both directions' parameters and held states. */
  override dispose(): void {
    if (this.released) return;
    this.released = true;
    this.store.reset();
    this.forwardLayer.dispose();
    this.backwardLayer.dispose();
    super.dispose();
  }
}
