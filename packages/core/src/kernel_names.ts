/**
 * The kernel catalogue: every kernel a backend implements, with its inputs, attributes and
 * outputs. This file is the contract between core and the backends; the conformance suite
 * checks each backend against it kernel by kernel.
 *
 * Conventions that hold for every kernel:
 * - Storage is dense and row-major. Kernels never modify their inputs; every output is new
 *   storage (or, where noted, may alias nothing the caller still owns).
 * - Output dtype equals input dtype unless the kernel says otherwise. Float kernels receive
 *   `float32` or `float64` (the latter only on backends listing it); index inputs are `int32`.
 * - Shapes and attributes have already been validated by core's op layer, so a kernel may
 *   assume them consistent.
 */
import { ValueError } from './errors.js';
import type { DType, Shape, TensorInfo } from './types.js';

/**
 * Every element-wise function of one argument, in the order backends may use as op codes
 * (backend-wasm numbers them by position). `step(x)` is 1 where x > 0, else 0.
 */
export const UNARY_OPS = [
  'neg',
  'abs',
  'sign',
  'exp',
  'log',
  'log1p',
  'sqrt',
  'rsqrt',
  'square',
  'reciprocal',
  'tanh',
  'sigmoid',
  'relu',
  'step',
  'softplus',
] as const;

/** An element-wise function of one argument: an entry of {@link UNARY_OPS}. */
export type UnaryOp = (typeof UNARY_OPS)[number];

/**
 * Every element-wise function of two arguments with NumPy broadcasting, in op-code order.
 * Comparisons return 1 or 0 in the inputs' dtype.
 */
export const BINARY_OPS = [
  'add',
  'sub',
  'mul',
  'div',
  'maximum',
  'minimum',
  'pow',
  'equal',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
] as const;

/** An element-wise function of two arguments: an entry of {@link BINARY_OPS}. */
export type BinaryOp = (typeof BINARY_OPS)[number];

/** Every reduction over a set of axes, in op-code order. */
export const REDUCE_OPS = ['sum', 'max', 'min'] as const;

/** A reduction over a set of axes: an entry of {@link REDUCE_OPS}. */
export type ReduceOp = (typeof REDUCE_OPS)[number];

/**
 * Every recurrent cell type, in op-code order, named as PyTorch's cuDNN modes:
 * - `RNN_TANH`: `h' = tanh(W_ih x + b_ih + W_hh h + b_hh)` (G = 1 gate block)
 * - `RNN_RELU`: the same with `max(0, ·)` (G = 1)
 * - `LSTM`: gate row blocks i, f, g, o; `c' = f*c + i*g`, `h' = o*tanh(c')` (G = 4)
 * - `GRU`: gate row blocks r, z, n; `n = tanh(W_in x + b_in + r*(W_hn h + b_hn))`,
 *   `h' = (1-z)*n + z*h` (G = 3, PyTorch's reset-after form)
 */
export const RNN_MODES = ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'] as const;

/** A recurrent cell type: an entry of {@link RNN_MODES}. */
export type RnnMode = (typeof RNN_MODES)[number];

/** Number of gate blocks (rows of H in the weight matrices) per mode. */
export const GATES_PER_MODE: Readonly<Record<RnnMode, number>> = {
  RNN_TANH: 1,
  RNN_RELU: 1,
  LSTM: 4,
  GRU: 3,
};

/**
 * Inputs of the fused recurrent kernels, for one layer and one direction.
 * With G gate blocks ({@link GATES_PER_MODE}), B batch, T steps, I input, H hidden features.
 * With {@link RnnAttrs.directions} 2 every input but `x` and `lengths` gains a leading axis of 2
 * (forward direction first, then reverse, PyTorch's order): `wIh [2, G*H, I]`,
 * `wHh [2, G*H, H]`, `bIh`/`bHh [2, G*H]`, `h0`/`c0 [2, B, H]`.
 */
export interface RnnWeightsInputs {
  /** `[B, T, I]`, batch-first. */
  x: TensorInfo;
  /** `[G*H, I]`, PyTorch's `weight_ih_l{k}`. */
  wIh: TensorInfo;
  /** `[G*H, H]`, PyTorch's `weight_hh_l{k}`. */
  wHh: TensorInfo;
  /** `[G*H]`. */
  bIh: TensorInfo;
  /** `[G*H]`. */
  bHh: TensorInfo;
  /** `[B, H]` initial hidden state. */
  h0: TensorInfo;
  /** `[B, H]` initial cell state; present exactly when mode is `LSTM`. */
  c0?: TensorInfo;
  /**
   * Optional `int32 [B]` valid lengths, each in `[0, T]`. Sequence b runs only steps
   * `t < lengths[b]`: its state is frozen and its output is zero at padded steps; in reverse it
   * starts at step `lengths[b]-1`. Absent means every sequence has T steps.
   */
  lengths?: TensorInfo;
}

/** The parameter slots of {@link RnnWeightsInputs}, in PyTorch's order. */
export const RNN_PARAM_SLOTS = ['wIh', 'wHh', 'bIh', 'bHh'] as const;

/** A parameter slot of {@link RnnWeightsInputs}: an entry of {@link RNN_PARAM_SLOTS}. */
export type RnnParamSlot = (typeof RNN_PARAM_SLOTS)[number];

const PYTORCH_PARAM_STEMS: Readonly<Record<RnnParamSlot, string>> = {
  wIh: 'weight_ih',
  wHh: 'weight_hh',
  bIh: 'bias_ih',
  bHh: 'bias_hh',
};

/**
 * PyTorch's names (`nn.RNN`/`nn.LSTM`/`nn.GRU`) of the parameters of layer `layer` (0-based)
 * in one direction, by slot: `weight_ih_l{layer}`, `weight_hh_l{layer}`, `bias_ih_l{layer}`,
 * `bias_hh_l{layer}`, each with the suffix `_reverse` for the reverse direction. The one place
 * these names are written; state dicts, importers and fixtures all use it.
 * @throws ValueError when `layer` is not a non-negative integer.
 * @example
 * ```ts
 * check(rnnParamNames(1, true).wIh, 'weight_ih_l1_reverse');
 * ```
 */
export function rnnParamNames(
  layer: number,
  reverse: boolean,
): Readonly<Record<RnnParamSlot, string>> {
  if (!Number.isInteger(layer) || layer < 0)
    throw new ValueError(`rnnParamNames: 'layer' must be an integer >= 0, got ${String(layer)}`);
  const suffix = `_l${layer}${reverse ? '_reverse' : ''}`;
  const names = {} as Record<RnnParamSlot, string>;
  for (const slot of RNN_PARAM_SLOTS) names[slot] = `${PYTORCH_PARAM_STEMS[slot]}${suffix}`;
  return names;
}

/**
 * The inverse of {@link rnnParamNames}: the slot, layer and direction a PyTorch parameter name
 * stands for, or undefined for a name that is not one.
 * @example
 * ```ts
 * check(parseRnnParamName('bias_hh_l2'), { slot: 'bHh', layer: 2, reverse: false });
 * check(parseRnnParamName('weight'), undefined);
 * ```
 */
export function parseRnnParamName(
  name: string,
): { slot: RnnParamSlot; layer: number; reverse: boolean } | undefined {
  const m = /^(weight|bias)_(ih|hh)_l(0|[1-9]\d*)(_reverse)?$/.exec(name);
  if (!m) return undefined;
  const slot = RNN_PARAM_SLOTS.find((s) => PYTORCH_PARAM_STEMS[s] === `${m[1]}_${m[2]}`)!;
  return { slot, layer: Number(m[3]), reverse: m[4] !== undefined };
}

/** Attributes of the fused recurrent kernels. */
export interface RnnAttrs {
  /** Cell type. */
  mode: RnnMode;
  /** Run from the last (valid) step to the first; outputs stay in time order. */
  reverse: boolean;
  /**
   * Checkpointed backpropagation through time: the segment length S in steps (a positive
   * integer), or absent / 0 for the plain path. With S, a training-mode `RnnForward` keeps in
   * its reserve only the state (h, and c for LSTM) before each S-step segment of the processing
   * order, ⌈T/S⌉ of them, and `RnnBackward` (given the same S) recomputes each segment's
   * activations from its boundary before differentiating it: about one extra forward pass of
   * compute for reserve memory that grows as T/S instead of T. Gradients equal the plain path's.
   */
  checkpoint?: number;
  /**
   * Directions run by the call (absent means 1). With 2 the call runs one layer of a
   * bidirectional recurrence: the weights and initial states are stacked per direction (see
   * {@link RnnWeightsInputs}), direction 0 runs as `reverse` says and direction 1 the other way
   * (each sequence within its own valid steps when `lengths` are given), `y` is `[B, T, 2H]`
   * (direction 0's output in features `[0, H)`, direction 1's in `[H, 2H)`), `hN`/`cN` are
   * `[2, B, H]`, and the `RnnBackward` cotangents and gradients are shaped alike; `dx` is the sum
   * of both directions' contributions. A backend may run the two directions concurrently; the
   * results equal two single-direction calls.
   */
  directions?: 1 | 2;
}

/**
 * Attributes of {@link KernelSignatures.AdamUpdate}: the hyperparameters of one Adam/AdamW step,
 * as PyTorch's `torch.optim.Adam`/`AdamW` name them.
 */
export interface AdamAttrs {
  /** Learning rate of this step (finite, ≥ 0). */
  lr: number;
  /** β₁, decay of the first moment, in `[0, 1)`. */
  beta1: number;
  /** β₂, decay of the second moment, in `[0, 1)`. */
  beta2: number;
  /** ε added to the denominator (finite, ≥ 0). */
  eps: number;
  /** Weight decay (finite, ≥ 0); 0 turns it off. */
  weightDecay: number;
  /** AdamW's decoupled decay `p ← p·(1 − lr·wd)` when true; Adam's L2 `g ← g + wd·p` when false. */
  decoupled: boolean;
  /** 1-based update count `t` of the bias corrections (a positive integer). */
  step: number;
}

/**
 * Signature of every kernel: its named inputs, attributes and named outputs.
 * Add a kernel here and the type checker lists every backend that lacks it.
 */
export interface KernelSignatures {
  /**
   * Matrix product `op(a) @ op(b)` where `op` transposes the last two axes when asked.
   * Both operands have rank 2, or both rank 3 with equal batch sizes or a batch of 1 that
   * broadcasts. Output `[M, N]` or `[batch, M, N]`.
   */
  MatMul: {
    inputs: { a: TensorInfo; b: TensorInfo };
    attrs: { transposeA: boolean; transposeB: boolean };
    outputs: { y: TensorInfo };
  };
  /** Element-wise function of one tensor. */
  Unary: {
    inputs: { x: TensorInfo };
    attrs: { op: UnaryOp };
    outputs: { y: TensorInfo };
  };
  /** Element-wise function of two tensors of one dtype, broadcast NumPy-style to `shape`. */
  Binary: {
    inputs: { a: TensorInfo; b: TensorInfo };
    attrs: { op: BinaryOp; shape: Shape };
    outputs: { y: TensorInfo };
  };
  /** Converts to another dtype; float to int32 truncates toward zero. */
  Cast: {
    inputs: { x: TensorInfo };
    attrs: { dtype: DType };
    outputs: { y: TensorInfo };
  };
  /**
   * Reduces over `axes` (sorted, unique, non-negative). `keepDims` keeps them as size 1.
   * Reducing over no axes copies. `max`/`min` of an empty axis is -Infinity/+Infinity.
   */
  Reduce: {
    inputs: { x: TensorInfo };
    attrs: { op: ReduceOp; axes: readonly number[]; keepDims: boolean };
    outputs: { y: TensorInfo };
  };
  /** Index of the largest value along `axis` (first on ties); `int32`, axis removed. */
  ArgMax: {
    inputs: { x: TensorInfo };
    attrs: { axis: number };
    outputs: { y: TensorInfo };
  };
  /** Softmax along the last axis, computed stably (max subtracted). */
  Softmax: {
    inputs: { x: TensorInfo };
    attrs: Record<string, never>;
    outputs: { y: TensorInfo };
  };
  /** Log-softmax along the last axis, computed stably (log-sum-exp). */
  LogSoftmax: {
    inputs: { x: TensorInfo };
    attrs: Record<string, never>;
    outputs: { y: TensorInfo };
  };
  /**
   * Gathers slices of `x` along `axis` at `int32` `indices` (each in `[0, x.shape[axis])`).
   * Output shape: `x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:]`. Embedding lookup is
   * `Gather` on axis 0.
   */
  Gather: {
    inputs: { x: TensorInfo; indices: TensorInfo };
    attrs: { axis: number };
    outputs: { y: TensorInfo };
  };
  /**
   * The adjoint of {@link KernelSignatures.Gather}: a zero tensor of `shape` to which each
   * slice of `updates` is added at its index along `axis` (repeated indices accumulate).
   * `updates` has the shape `Gather` would produce from a tensor of `shape`.
   */
  ScatterAdd: {
    inputs: { updates: TensorInfo; indices: TensorInfo };
    attrs: { axis: number; shape: Shape };
    outputs: { y: TensorInfo };
  };
  /** One-hot encoding of `int32` indices: output `indices.shape ++ [depth]`, dtype `dtype`; out-of-range indices give a zero row. */
  OneHot: {
    inputs: { indices: TensorInfo };
    attrs: { depth: number; dtype: DType };
    outputs: { y: TensorInfo };
  };
  /** The block `x[begin[i] : begin[i] + size[i]]` on every axis. */
  Slice: {
    inputs: { x: TensorInfo };
    attrs: { begin: readonly number[]; size: readonly number[] };
    outputs: { y: TensorInfo };
  };
  /** Zero-pads (or pads with `value`) each axis by `[before, after]` elements. */
  Pad: {
    inputs: { x: TensorInfo };
    attrs: { paddings: readonly (readonly [number, number])[]; value: number };
    outputs: { y: TensorInfo };
  };
  /** Joins tensors of one dtype along `axis`; all other axes agree. At least one input. */
  Concat: {
    inputs: { xs: readonly TensorInfo[] };
    attrs: { axis: number };
    outputs: { y: TensorInfo };
  };
  /** Permutes axes: output axis i is input axis `perm[i]`. */
  Transpose: {
    inputs: { x: TensorInfo };
    attrs: { perm: readonly number[] };
    outputs: { y: TensorInfo };
  };
  /** Reverses the order of elements along each of `axes`. */
  Reverse: {
    inputs: { x: TensorInfo };
    attrs: { axes: readonly number[] };
    outputs: { y: TensorInfo };
  };
  /**
   * Fused recurrent forward pass of one layer in one direction (or both, see
   * {@link RnnAttrs.directions}) over a whole sequence.
   * A backend should compute the input projection of all steps as one matrix product and run
   * the recurrence without returning to the caller per step.
   *
   * Outputs: `y [B, T, H]` (zero at padded steps), `hN [B, H]` (each sequence's state after its
   * own last valid step), `cN [B, H]` for LSTM only (with `directions: 2`: `y [B, T, 2H]`,
   * `hN`/`cN [2, B, H]`, see {@link RnnAttrs.directions}), and `reserve`: whatever the backend needs
   * to run {@link KernelSignatures.RnnBackward} (its layout is private to the backend; core only
   * passes it back). When `attrs.training` is false a backend may return an empty reserve.
   */
  RnnForward: {
    inputs: RnnWeightsInputs;
    attrs: RnnAttrs & { training: boolean };
    outputs: { y: TensorInfo; hN: TensorInfo; cN?: TensorInfo; reserve: TensorInfo };
  };
  /**
   * Backward pass (backpropagation through time) of {@link KernelSignatures.RnnForward}, given
   * the forward's inputs, its `y` and `reserve`, and the gradients of the loss with respect to
   * `y`, `hN` and (LSTM) `cN`. Returns the gradients of every input except `lengths`; padded
   * steps of `x` receive zero gradient.
   */
  RnnBackward: {
    inputs: RnnWeightsInputs & {
      y: TensorInfo;
      reserve: TensorInfo;
      /**
       * dL/dy, shaped as `y`. Absent means zero: the loss does not use the output sequence
       * (e.g. a model that reads only the final state). A backend must then take the state
       * gradients alone and must not allocate a `y`-sized zero tensor in its place, which
       * would cost as much memory as the output sequence itself.
       */
      dy?: TensorInfo;
      dhN: TensorInfo;
      dcN?: TensorInfo;
    };
    attrs: RnnAttrs & {
      /**
       * False when the caller will not use `dx` (the layer's input is data, not a function of
       * what is being differentiated): a backend may then skip that product and return `dx`
       * as zeros. Absent means true.
       */
      inputGradient?: boolean;
    };
    outputs: {
      dx: TensorInfo;
      dWIh: TensorInfo;
      dWHh: TensorInfo;
      dBIh: TensorInfo;
      dBHh: TensorInfo;
      dh0: TensorInfo;
      dc0?: TensorInfo;
    };
  };
  /**
   * One fused Adam/AdamW step (PyTorch's update, without AMSGrad) on a parameter `param`, its
   * gradient `grad` and its moments `m`, `v`: four float tensors of one shape and dtype. With
   * the scalars `bc1 = 1 − β₁ᵗ`, `bc2 = 1 − β₂ᵗ` (t = `step`), element by element and in this
   * order of operations:
   * ```
   * p ← p · (1 − lr·wd)              decoupled and wd ≠ 0 (AdamW)
   * g ← g + p · wd                   not decoupled and wd ≠ 0 (Adam's L2)
   * m' ← m · β₁ + g · (1 − β₁)
   * v' ← v · β₂ + (g · g) · (1 − β₂)
   * p' ← p − (m' / (√v' / √bc2 + ε)) · (lr / bc1)
   * ```
   * Outputs `param` (p'), `m` (m') and `v` (v'), new storage of the inputs' shape and dtype.
   * The scalars are computed in float64 (see `adamCoefficients`); float64 storage computes
   * every operation in float64, exactly as the composed core ops do. A backend computing
   * float32 storage in float32 (rounding every operation) or in float64 (rounding the outputs
   * once) both conform; they differ only where an intermediate such as `g·g` overflows float32
   * (|g| > ~1.8e19). Not differentiable: no gradient is registered.
   */
  AdamUpdate: {
    inputs: { param: TensorInfo; grad: TensorInfo; m: TensorInfo; v: TensorInfo };
    attrs: AdamAttrs;
    outputs: { param: TensorInfo; m: TensorInfo; v: TensorInfo };
  };
}

/** The name of a kernel in {@link KernelSignatures}. */
export type KernelName = keyof KernelSignatures;

/** Named inputs of kernel `K`. */
export type KernelInputs<K extends KernelName> = KernelSignatures[K]['inputs'];
/** Attributes of kernel `K`. */
export type KernelAttrs<K extends KernelName> = KernelSignatures[K]['attrs'];
/** Named outputs of kernel `K`. */
export type KernelOutputs<K extends KernelName> = KernelSignatures[K]['outputs'];

/**
 * One entry per kernel of {@link KernelSignatures}, in catalogue order. `satisfies` makes a
 * kernel missing here, or listed here without a signature, a compile error.
 */
const KERNEL_CATALOGUE = {
  MatMul: true,
  Unary: true,
  Binary: true,
  Cast: true,
  Reduce: true,
  ArgMax: true,
  Softmax: true,
  LogSoftmax: true,
  Gather: true,
  ScatterAdd: true,
  OneHot: true,
  Slice: true,
  Pad: true,
  Concat: true,
  Transpose: true,
  Reverse: true,
  RnnForward: true,
  RnnBackward: true,
  AdamUpdate: true,
} as const satisfies Record<KernelName, true>;

/** Every kernel name, in catalogue order. */
export const KERNEL_NAMES = Object.keys(KERNEL_CATALOGUE) as readonly KernelName[];
