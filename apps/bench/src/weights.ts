/**
 * The initial weights every engine starts a workload from: a pure function of the workload,
 * in PyTorch's names and layouts (rnnkit's too), plus their conversion to the Keras layout
 * TF.js layers take in `setWeights`.
 */
import { GATES, mulberry32, type Workload } from './workloads.js';

/** One weight: row-major float32 values and their shape. */
export interface WeightArray {
  shape: number[];
  data: Float32Array;
}

/** A workload's initial weights: the recurrent stack (PyTorch names) and the Dense head. */
export interface InitialWeights {
  /** `weight_ih_l0 [G·H, I]`, `weight_hh_l0 [G·H, H]`, `bias_ih_l0 [G·H]`, `bias_hh_l0`, then `…_reverse`, then layer 1, … */
  recurrent: Record<string, WeightArray>;
  /** PyTorch `Linear`'s `weight [U, D·H]` and `bias [U]`. */
  head: { weight: WeightArray; bias: WeightArray };
}

/** PyTorch's parameter-name suffix for layer `l`, direction `d`. */
export function paramSuffix(l: number, d: number): string {
  return `_l${l}${d === 1 ? '_reverse' : ''}`;
}

/**
 * Draws the weights PyTorch's default initialisation would (uniform ±1/√H for the recurrent
 * stack, ±1/√fan-in for the head) from a seeded generator, rounded to float32 so that every
 * engine starts from bit-identical values.
 */
export function initialWeights(w: Workload, seed = 7): InitialWeights {
  const rand = mulberry32(seed);
  const uniform = (shape: number[], bound: number): WeightArray => {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = (2 * rand() - 1) * bound;
    return { shape, data };
  };
  const G = GATES[w.cell];
  const H = w.hidden;
  const D = w.bidirectional ? 2 : 1;
  const bound = 1 / Math.sqrt(H);
  const recurrent: Record<string, WeightArray> = {};
  for (let l = 0; l < w.layers; l++) {
    const inSize = l === 0 ? w.inputSize : D * H;
    for (let d = 0; d < D; d++) {
      const s = paramSuffix(l, d);
      recurrent[`weight_ih${s}`] = uniform([G * H, inSize], bound);
      recurrent[`weight_hh${s}`] = uniform([G * H, H], bound);
      recurrent[`bias_ih${s}`] = uniform([G * H], bound);
      recurrent[`bias_hh${s}`] = uniform([G * H], bound);
    }
  }
  const headBound = 1 / Math.sqrt(D * H);
  return {
    recurrent,
    head: {
      weight: uniform([w.units, D * H], headBound),
      bias: uniform([w.units], headBound),
    },
  };
}

/**
 * The order in which Keras stores PyTorch's gate blocks: Keras block k is PyTorch block
 * `order[k]`. LSTM: both i, f, g(c), o. GRU: Keras z, r, h; PyTorch r, z, n.
 */
export function kerasGateOrder(cell: Workload['cell']): number[] {
  return cell === 'GRU' ? [1, 0, 2] : Array.from({ length: GATES[cell] }, (_, k) => k);
}

/** `[G·H, C]` PyTorch weight → Keras kernel `[C, G·H]` with the gate blocks reordered. */
export function toKerasKernel(a: WeightArray, H: number, order: readonly number[]): WeightArray {
  const [rows, cols] = a.shape;
  if (rows !== order.length * H)
    throw new Error(`toKerasKernel: expected ${order.length * H} rows, got ${rows}`);
  const out = new Float32Array(rows * cols);
  for (let k = 0; k < order.length; k++) {
    for (let j = 0; j < H; j++) {
      const src = (order[k] * H + j) * cols;
      const dstCol = k * H + j;
      for (let c = 0; c < cols; c++) out[c * rows + dstCol] = a.data[src + c];
    }
  }
  return { shape: [cols, rows], data: out };
}

/**
 * Keras' single bias from PyTorch's two, gate blocks reordered: `b_ih + b_hh`. Exact for LSTM
 * and SimpleRNN (both biases are added before the nonlinearity). For a GRU it is exact for the
 * z and r gates; for the candidate, PyTorch multiplies `b_hn` by the reset gate and a
 * `reset_after=false` Keras GRU cannot, so that row is an approximation (the workload notes it).
 */
export function toKerasBias(
  bIh: WeightArray,
  bHh: WeightArray,
  H: number,
  order: readonly number[],
): WeightArray {
  const out = new Float32Array(order.length * H);
  for (let k = 0; k < order.length; k++) {
    for (let j = 0; j < H; j++) {
      const src = order[k] * H + j;
      out[k * H + j] = bIh.data[src] + bHh.data[src];
    }
  }
  return { shape: [order.length * H], data: out };
}

/**
 * The weights of the workload's TF.js model in `model.getWeights()` order: per stacked layer
 * kernel, recurrent kernel, bias (forward then backward layer for a Bidirectional), then the
 * Dense kernel `[D·H, U]` and bias.
 */
export function kerasWeights(w: Workload, init: InitialWeights): WeightArray[] {
  const order = kerasGateOrder(w.cell);
  const D = w.bidirectional ? 2 : 1;
  const out: WeightArray[] = [];
  for (let l = 0; l < w.layers; l++) {
    for (let d = 0; d < D; d++) {
      const get = (name: string) => {
        const a = init.recurrent[`${name}${paramSuffix(l, d)}`];
        if (!a) throw new Error(`kerasWeights: no '${name}${paramSuffix(l, d)}' in the weights`);
        return a;
      };
      out.push(
        toKerasKernel(get('weight_ih'), w.hidden, order),
        toKerasKernel(get('weight_hh'), w.hidden, order),
        toKerasBias(get('bias_ih'), get('bias_hh'), w.hidden, order),
      );
    }
  }
  out.push(toKerasKernel(init.head.weight, w.units, [0]), {
    shape: [...init.head.bias.shape],
    data: init.head.bias.data,
  });
  return out;
}
