/**
 * Importing Keras recurrent weights: Keras' layout and gate order converted to PyTorch's, and
 * loaded into a layer.
 */
import { formatShape, rnnParamNames, ShapeError, ValueError } from '@rnnkit/core';
import type { StateDict } from '../state_dict.js';
import type { StateDictTarget } from './pytorch_import.js';

/** A Keras weight array: shape and row-major values (e.g. from `layer.get_weights()` or an HDF5 reader). */
export interface KerasArray {
  /** Shape as Keras reports it. */
  shape: readonly number[];
  /** Row-major values. */
  data: ArrayLike<number>;
}

/** The weights of one Keras recurrent layer (`get_weights()` order: kernel, recurrent_kernel, bias). */
export interface KerasRnnWeights {
  /** `[I, G·H]`. */
  kernel: KerasArray;
  /** `[H, G·H]`. */
  recurrentKernel: KerasArray;
  /** `[G·H]` (GRU with `reset_after=True`: `[2, 3H]`); absent when `use_bias=False`. */
  bias?: KerasArray;
}

/** A Keras `Bidirectional` layer's weights: the forward and the backward layer. */
export interface KerasBidirectionalWeights {
  forward: KerasRnnWeights;
  backward: KerasRnnWeights;
}

/** Keras recurrent cell types. */
export type KerasCell = 'SimpleRNN' | 'LSTM' | 'GRU';

const GATES: Record<KerasCell, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };

function check(cell: KerasCell, what: string, a: KerasArray, shape: number[]): void {
  if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(
      `Keras ${cell} ${what} must have shape ${formatShape(shape)}, got ${formatShape(a.shape)}`,
    );
  }
  if (a.data.length !== shape.reduce((x, y) => x * y, 1))
    throw new ShapeError(
      `Keras ${cell} ${what}: ${a.data.length} values for ${formatShape(shape)}`,
    );
}

/** `[rows, cols]` → its transpose `[cols, rows]`, with column blocks of H permuted by `order` (new block k = old block order[k]). */
function transposeBlocks(a: KerasArray, H: number, order: readonly number[]): Float64Array {
  const [rows, cols] = a.shape;
  const out = new Float64Array(rows * cols);
  for (let k = 0; k < order.length; k++) {
    for (let j = 0; j < H; j++) {
      const srcCol = order[k] * H + j;
      const dstRow = k * H + j;
      for (let i = 0; i < rows; i++) out[dstRow * rows + i] = a.data[i * cols + srcCol];
    }
  }
  return out;
}

function permuteVector(
  v: ArrayLike<number>,
  offset: number,
  H: number,
  order: readonly number[],
): Float64Array {
  const out = new Float64Array(order.length * H);
  order.forEach((src, k) => {
    for (let j = 0; j < H; j++) out[k * H + j] = v[offset + src * H + j];
  });
  return out;
}

/**
 * Converts one Keras recurrent layer's weights to PyTorch's names and layouts
 * (`weight_ih_l{layer}{_reverse}`, …):
 * - kernels are transposed (`kernel [I, G·H]` → `weight_ih [G·H, I]`);
 * - SimpleRNN and LSTM (gates i, f, c, o = PyTorch's i, f, g, o) have one bias: it becomes
 *   `bias_ih` and `bias_hh` is zero (the sum, which is all the equations use, is preserved);
 * - GRU blocks z, r, h are permuted to PyTorch's r, z, n; `bias [2, 3H]` (reset_after=True)
 *   gives `bias_ih` (row 0) and `bias_hh` (row 1). A `[3H]` bias means `reset_after=False`,
 *   which has no PyTorch equivalent and is refused.
 */
export function kerasToPytorch(
  cell: KerasCell,
  weights: KerasRnnWeights,
  options: { layer?: number; reverse?: boolean } = {},
): StateDict {
  const G = GATES[cell];
  if (G === undefined)
    throw new ValueError(
      `kerasToPytorch: unknown cell '${String(cell)}'; expected SimpleRNN, LSTM or GRU`,
    );
  const layer = options.layer ?? 0;
  if (!Number.isInteger(layer) || layer < 0)
    throw new ValueError(
      `kerasToPytorch: option 'layer' must be an integer >= 0, got ${String(options.layer)}`,
    );
  const { kernel, recurrentKernel, bias } = weights;
  if (recurrentKernel.shape.length !== 2)
    throw new ShapeError(
      `Keras ${cell} recurrent_kernel must be [H, ${G}H], got ${formatShape(recurrentKernel.shape)}`,
    );
  const H = recurrentKernel.shape[0];
  check(cell, 'recurrent_kernel', recurrentKernel, [H, G * H]);
  if (kernel.shape.length !== 2)
    throw new ShapeError(
      `Keras ${cell} kernel must be [I, ${G}H], got ${formatShape(kernel.shape)}`,
    );
  const I = kernel.shape[0];
  check(cell, 'kernel', kernel, [I, G * H]);
  const order = cell === 'GRU' ? [1, 0, 2] : Array.from({ length: G }, (_, k) => k);
  const names = rnnParamNames(layer, options.reverse ?? false);
  let bIh: Float64Array = new Float64Array(G * H);
  let bHh: Float64Array = new Float64Array(G * H);
  if (bias) {
    if (cell === 'GRU') {
      if (bias.shape.length === 1) {
        throw new ValueError(
          'Keras GRU with reset_after=False (a single [3H] bias, reset gate applied before the recurrent product) has no PyTorch ' +
            'equivalent and cannot be imported; retrain or convert the model with reset_after=True (the TF2/Keras 3 default)',
        );
      }
      check(cell, 'bias', bias, [2, 3 * H]);
      bIh = permuteVector(bias.data, 0, H, order);
      bHh = permuteVector(bias.data, 3 * H, H, order);
    } else {
      check(cell, 'bias', bias, [G * H]);
      bIh = Float64Array.from(bias.data);
    }
  }
  return {
    [names.wIh]: { shape: [G * H, I], data: transposeBlocks(kernel, H, order) },
    [names.wHh]: { shape: [G * H, H], data: transposeBlocks(recurrentKernel, H, order) },
    [names.bIh]: { shape: [G * H], data: bIh },
    [names.bHh]: { shape: [G * H], data: bHh },
  };
}

function cellOf(
  target: StateDictTarget & {
    getConfig?(): { className: string; config: Record<string, unknown> };
  },
): KerasCell {
  const cfg = target.getConfig?.();
  let name = cfg?.className;
  if (name === 'Bidirectional')
    name = (cfg?.config.layer as { className?: string } | undefined)?.className;
  if (name !== 'SimpleRNN' && name !== 'LSTM' && name !== 'GRU') {
    throw new ValueError(
      `loadKerasWeights: the target must be a SimpleRNN, LSTM, GRU or Bidirectional layer, got ${String(cfg?.className)}`,
    );
  }
  if (name === 'GRU' && cfg?.config.resetAfter === false)
    throw new ValueError('loadKerasWeights: reset_after=False GRUs are not supported');
  return name;
}

/**
 * Loads Keras recurrent weights into a SimpleRNN / LSTM / GRU layer (stacked with `numLayers`,
 * optionally `bidirectional`) or a `Bidirectional` wrapper. Pass one entry per stacked Keras
 * layer: its {@link KerasRnnWeights}, or `{forward, backward}` for a Keras `Bidirectional`
 * (`merge_mode='concat'`). Every name and shape is checked before anything is assigned.
 * @example
 * ```ts
 * // Keras: kernel, recurrent_kernel, bias = model.layers[0].get_weights() of SimpleRNN(3)
 * // on 2 input features: kernel [I, H], recurrent_kernel [H, H], bias [H]
 * const kernel = { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] };
 * const recurrentKernel = { shape: [3, 3], data: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
 * const bias = { shape: [3], data: [0.1, 0.2, 0.3] };
 * const rnn = new SimpleRNN({ inputSize: 2, hiddenSize: 3 });
 * loadKerasWeights(rnn, [{ kernel, recurrentKernel, bias }]);
 * const { weight_ih_l0, bias_ih_l0 } = rnn.stateDict();
 * check(weight_ih_l0, { shape: [3, 2], data: [1, 4, 2, 5, 3, 6] }); // PyTorch's [H, I] layout
 * check(bias_ih_l0.data, [0.1, 0.2, 0.3]);
 * ```
 */
export function loadKerasWeights(
  target: StateDictTarget & {
    getConfig?(): { className: string; config: Record<string, unknown> };
  },
  layers: readonly (KerasRnnWeights | KerasBidirectionalWeights)[],
  options: { cell?: KerasCell } = {},
): void {
  const cell = options.cell ?? cellOf(target);
  const dict: StateDict = {};
  layers.forEach((w, l) => {
    if ('forward' in w) {
      Object.assign(
        dict,
        kerasToPytorch(cell, w.forward, { layer: l }),
        kerasToPytorch(cell, w.backward, { layer: l, reverse: true }),
      );
    } else {
      Object.assign(dict, kerasToPytorch(cell, w, { layer: l }));
    }
  });
  target.loadStateDict(dict, { strict: true });
}
