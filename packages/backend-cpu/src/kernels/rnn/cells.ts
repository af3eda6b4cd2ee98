/**
 * The recurrent cells of the fused kernels, one strategy per mode (simple, LSTM, GRU): the forward
 * step and its backward step, shared by `RnnForward` and `RnnBackward`.
 */
import type { RnnMode } from '@rnnkit/core';
import { GATES_PER_MODE } from '@rnnkit/core';
import type { FloatArray } from '../util/float.js';
import { relu, sigmoid } from '../util/math.js';

/**
 * Arrays the forward recurrence works on. Matrix-shaped buffers are batch-first and row-major;
 * offsets passed to {@link RnnCell.forwardRow} point at the row of one batch element.
 */
export interface CellForwardBuffers {
  /** Hidden size H. */
  readonly hidden: number;
  /** `x W_ih^T + b_ih` for every step, `[B*T, G*H]`. */
  readonly inputGates: FloatArray;
  /** `h W_hh^T + b_hh` for the current step, `[B, G*H]`. */
  readonly hiddenGates: FloatArray;
  /** Hidden state `[B, H]`, updated in place. */
  readonly h: FloatArray;
  /** Cell state `[B, H]` (LSTM), updated in place. */
  readonly c: FloatArray;
  /** Per-step values the backward pass needs, {@link RnnCell.reserveBlocks} blocks of H each. */
  readonly reserve: FloatArray;
}

/** Arrays the backward recurrence works on (same layout conventions as the forward). */
export interface CellBackwardBuffers {
  /** Hidden size H. */
  readonly hidden: number;
  /** The forward's reserve. */
  readonly reserve: FloatArray;
  /** The forward's output: the state after each step, `[B, T, H]`. */
  readonly y: FloatArray;
  /** The state before each step, `[B*T, H]`. */
  readonly hPrev: FloatArray;
  /** The cell state before the current step, `[B, H]` (LSTM). */
  readonly cPrev: FloatArray;
  /** In: dL/dh after the step. Out: the part of dL/dh before the step that bypasses W_hh. */
  readonly dh: FloatArray;
  /** In: dL/dc after the step. Out: dL/dc before the step (LSTM). */
  readonly dc: FloatArray;
  /** dL/d(input-side pre-activations) per step, `[B*T, G*H]`; rows of inactive steps stay 0. */
  readonly dInputGates: FloatArray;
  /**
   * dL/d(`h W_hh^T + b_hh`) per step, `[B*T, G*H]`. The same array as `dInputGates` unless the
   * cell has {@link RnnCell.separateHiddenGateGrads}.
   */
  readonly dHiddenGates: FloatArray;
}

/**
 * The per-element math of one cell type, shared by the forward and backward kernels so the two
 * cannot drift apart. A row is one batch element at one step.
 */
export interface RnnCell {
  /** Gate blocks G. */
  readonly gates: number;
  /** Blocks of H values saved in the reserve per batch element and step. */
  readonly reserveBlocks: number;
  /** The reserve block holding the cell state after the step (LSTM only). */
  readonly cellStateBlock: number | undefined;
  /**
   * Whether the gradients of the hidden-side pre-activations differ from the input-side ones
   * (GRU, where the reset gate multiplies the hidden product).
   */
  readonly separateHiddenGateGrads: boolean;
  /** Advances one row of the state and writes its reserve. */
  forwardRow(
    buffers: CellForwardBuffers,
    inputGatesAt: number,
    hiddenGatesAt: number,
    stateAt: number,
    reserveAt: number,
  ): void;
  /**
   * Back-propagates one row through the step: `stepAt` indexes y/hPrev (`(b*T+t)*H`),
   * `gatesAt` the gate-gradient rows (`(b*T+t)*G*H`), `stateAt` dh/dc/cPrev (`b*H`).
   */
  backwardRow(
    buffers: CellBackwardBuffers,
    stepAt: number,
    gatesAt: number,
    stateAt: number,
    reserveAt: number,
  ): void;
}

/** `RNN_TANH` and `RNN_RELU`: the output alone determines the activation's derivative. */
function simpleCell(
  mode: 'RNN_TANH' | 'RNN_RELU',
  activation: (x: number) => number,
  derivativeFromOutput: (y: number) => number,
): RnnCell {
  return {
    gates: GATES_PER_MODE[mode],
    reserveBlocks: 0,
    cellStateBlock: undefined,
    separateHiddenGateGrads: false,
    forwardRow({ hidden, inputGates, hiddenGates, h }, inputGatesAt, hiddenGatesAt, stateAt) {
      for (let j = 0; j < hidden; j++) {
        h[stateAt + j] = activation(inputGates[inputGatesAt + j] + hiddenGates[hiddenGatesAt + j]);
      }
    },
    backwardRow({ hidden, y, dh, dInputGates }, stepAt, gatesAt, stateAt) {
      for (let j = 0; j < hidden; j++) {
        dInputGates[gatesAt + j] = dh[stateAt + j] * derivativeFromOutput(y[stepAt + j]);
        dh[stateAt + j] = 0;
      }
    },
  };
}

/** Reserve blocks: activated gates i, f, g, o, then the new cell state c. */
const lstmCell: RnnCell = {
  gates: GATES_PER_MODE.LSTM,
  reserveBlocks: 5,
  cellStateBlock: 4,
  separateHiddenGateGrads: false,
  forwardRow(
    { hidden: H, inputGates, hiddenGates, h, c, reserve },
    inputGatesAt,
    hiddenGatesAt,
    stateAt,
    reserveAt,
  ) {
    for (let j = 0; j < H; j++) {
      const x = inputGatesAt + j;
      const r = hiddenGatesAt + j;
      const i = sigmoid(inputGates[x] + hiddenGates[r]);
      const f = sigmoid(inputGates[x + H] + hiddenGates[r + H]);
      const g = Math.tanh(inputGates[x + 2 * H] + hiddenGates[r + 2 * H]);
      const o = sigmoid(inputGates[x + 3 * H] + hiddenGates[r + 3 * H]);
      const cNew = f * c[stateAt + j] + i * g;
      c[stateAt + j] = cNew;
      h[stateAt + j] = o * Math.tanh(cNew);
      const s = reserveAt + j;
      reserve[s] = i;
      reserve[s + H] = f;
      reserve[s + 2 * H] = g;
      reserve[s + 3 * H] = o;
      reserve[s + 4 * H] = cNew;
    }
  },
  backwardRow(
    { hidden: H, reserve, cPrev, dh, dc, dInputGates },
    _stepAt,
    gatesAt,
    stateAt,
    reserveAt,
  ) {
    for (let j = 0; j < H; j++) {
      const s = reserveAt + j;
      const i = reserve[s];
      const f = reserve[s + H];
      const g = reserve[s + 2 * H];
      const o = reserve[s + 3 * H];
      const tanhC = Math.tanh(reserve[s + 4 * H]);
      const dhj = dh[stateAt + j];
      const dcTotal = dc[stateAt + j] + dhj * o * (1 - tanhC * tanhC);
      const d = gatesAt + j;
      dInputGates[d] = dcTotal * g * i * (1 - i);
      dInputGates[d + H] = dcTotal * cPrev[stateAt + j] * f * (1 - f);
      dInputGates[d + 2 * H] = dcTotal * i * (1 - g * g);
      dInputGates[d + 3 * H] = dhj * tanhC * o * (1 - o);
      dc[stateAt + j] = dcTotal * f;
      dh[stateAt + j] = 0;
    }
  },
};

/** Reserve blocks: r, z, n, and the hidden product of the n block `W_hn h + b_hn`. */
const gruCell: RnnCell = {
  gates: GATES_PER_MODE.GRU,
  reserveBlocks: 4,
  cellStateBlock: undefined,
  separateHiddenGateGrads: true,
  forwardRow(
    { hidden: H, inputGates, hiddenGates, h, reserve },
    inputGatesAt,
    hiddenGatesAt,
    stateAt,
    reserveAt,
  ) {
    for (let j = 0; j < H; j++) {
      const x = inputGatesAt + j;
      const r = hiddenGatesAt + j;
      const reset = sigmoid(inputGates[x] + hiddenGates[r]);
      const update = sigmoid(inputGates[x + H] + hiddenGates[r + H]);
      const hiddenN = hiddenGates[r + 2 * H];
      const n = Math.tanh(inputGates[x + 2 * H] + reset * hiddenN);
      const hOld = h[stateAt + j];
      // PyTorch's evaluation order, so float64 results agree to the last bits.
      h[stateAt + j] = (hOld - n) * update + n;
      const s = reserveAt + j;
      reserve[s] = reset;
      reserve[s + H] = update;
      reserve[s + 2 * H] = n;
      reserve[s + 3 * H] = hiddenN;
    }
  },
  backwardRow(
    { hidden: H, reserve, hPrev, dh, dInputGates, dHiddenGates },
    stepAt,
    gatesAt,
    stateAt,
    reserveAt,
  ) {
    for (let j = 0; j < H; j++) {
      const s = reserveAt + j;
      const reset = reserve[s];
      const update = reserve[s + H];
      const n = reserve[s + 2 * H];
      const hiddenN = reserve[s + 3 * H];
      const dhj = dh[stateAt + j];
      const dPreN = dhj * (1 - update) * (1 - n * n);
      const dPreR = dPreN * hiddenN * reset * (1 - reset);
      const dPreZ = dhj * (hPrev[stepAt + j] - n) * update * (1 - update);
      const d = gatesAt + j;
      dInputGates[d] = dPreR;
      dInputGates[d + H] = dPreZ;
      dInputGates[d + 2 * H] = dPreN;
      dHiddenGates[d] = dPreR;
      dHiddenGates[d + H] = dPreZ;
      dHiddenGates[d + 2 * H] = dPreN * reset;
      dh[stateAt + j] = dhj * update;
    }
  },
};

/** The cell math of each mode. */
export const RNN_CELLS: Readonly<Record<RnnMode, RnnCell>> = {
  RNN_TANH: simpleCell('RNN_TANH', Math.tanh, (y) => 1 - y * y),
  RNN_RELU: simpleCell('RNN_RELU', relu, (y) => (y > 0 ? 1 : 0)),
  LSTM: lstmCell,
  GRU: gruCell,
};
