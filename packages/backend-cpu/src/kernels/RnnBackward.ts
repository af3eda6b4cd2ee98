/**
 * The `RnnBackward` kernel of the cpu backend: backpropagation through time of one fused layer, in
 * one direction or both (one file per kernel; the cells are in `rnn/cells.ts`).
 */
import type { KernelFunc, KernelOutputs } from '@rnnkit/core';
import { checkReserve } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import type { CellBackwardBuffers } from './rnn/cells.js';
import {
  blockOf,
  type DirectionArrays,
  directionArrays,
  directionGeometry,
  halfOf,
} from './rnn/directions.js';
import { boundaryCount, previousStep, type RnnGeometry, rnnGeometry } from './rnn/geometry.js';
import {
  backwardSteps,
  type CellStateBefore,
  forwardBuffers,
  forwardSteps,
  loadBoundary,
} from './rnn/recurrence.js';
import { type FloatArray, floatArrayFor, zerosLike } from './util/float.js';
import { addColumnSums, dense, gemm, transposed } from './util/gemm.js';

/**
 * Backpropagation through time for {@link rnnForward}.
 *
 * Steps are visited in the reverse of the forward's processing order. Per step only the cell
 * math and the `[B, G*H] @ W_hh` product that carries dL/dh to the previous step run; the
 * pre-activation gradients of every step are collected in `[B*T, G*H]` buffers (batch-first like
 * x), together with the state before each step, so the weight gradients, bias gradients and dx
 * are each one large product or column sum at the end. Rows of padded steps stay zero, which is
 * what gives padded x zero gradient and passes dL/dh through frozen states unchanged.
 *
 * With a `checkpoint` segment length the reserve holds only segment boundaries: each segment,
 * last first, is recomputed from its boundary into a `[B*S]`-row reserve and then
 * differentiated. The recomputation repeats the forward's operations exactly, and the gradient
 * buffers and final products are the plain path's, so float64 gradients equal the plain path's
 * bit for bit; the memory kept between forward and backward is `⌈T/S⌉·B` states instead of
 * `B·T` reserve rows (the backward's own temporaries stay `O(T)`, as on the plain path).
 *
 * An absent `dy` (the loss uses only the final states) is taken as zero without materialising it.
 *
 * With `directions: 2` each direction is differentiated in turn from its half of `y`/`dy`, its
 * slices of the stacked inputs and its reserve; `dx` is the sum of the two directions' `dx`
 * (added last, as the tape adds the gradients of two single-direction calls).
 */
export const rnnBackward: KernelFunc<'RnnBackward', CpuBackend> = (inputs, attrs, backend) => {
  const geometry = rnnGeometry(inputs, attrs, backend);
  const { batch: B, steps: T, inputSize: I, hidden: H, gateWidth: GH, directions: D } = geometry;
  const { reserveWidth, stateWidth, segment: S } = geometry;
  const dtype = inputs.x.dtype;
  const isLstm = attrs.mode === 'LSTM';

  const reserve = backend.floatValues(inputs.reserve);
  const expected = S > 0 ? boundaryCount(geometry) * B * stateWidth : B * T * reserveWidth;
  checkReserve(backend, D * expected, reserve.length);
  const x = backend.floatValues(inputs.x);
  const y = backend.floatValues(inputs.y);
  // An absent dy is zero: no array stands in for it.
  const dy = inputs.dy && backend.floatValues(inputs.dy);
  const dhN = backend.floatValues(inputs.dhN);
  const dcN = isLstm && inputs.dcN ? backend.floatValues(inputs.dcN) : undefined;
  const dx = floatArrayFor(dtype, B * T * I);
  const dWIh = floatArrayFor(dtype, D * GH * I);
  const dWHh = floatArrayFor(dtype, D * GH * H);
  const dBIh = floatArrayFor(dtype, D * GH);
  const dBHh = floatArrayFor(dtype, D * GH);
  const dh0 = floatArrayFor(dtype, D * B * H);
  const dc0 = floatArrayFor(dtype, isLstm ? D * B * H : 0);
  for (let d = 0; d < D; d++) {
    const g = backwardDirection(
      directionGeometry(geometry, d),
      x,
      directionArrays(backend, inputs, geometry, d),
      {
        y: halfOf(y, B * T, H, d, D),
        dy: dy && halfOf(dy, B * T, H, d, D),
        dhN: blockOf(dhN, d, D),
        dcN: dcN && blockOf(dcN, d, D),
        reserve: blockOf(reserve, d, D),
      },
    );
    if (d === 0) dx.set(g.dx);
    else for (let i = 0; i < dx.length; i++) dx[i] += g.dx[i];
    dWIh.set(g.dWIh, d * GH * I);
    dWHh.set(g.dWHh, d * GH * H);
    dBIh.set(g.dBIh, d * GH);
    dBHh.set(g.dBHh, d * GH);
    dh0.set(g.dh, d * B * H);
    if (isLstm) dc0.set(g.dc, d * B * H);
  }

  const stacked = (shape: number[]) => (D === 1 ? shape : [D, ...shape]);
  const outputs: KernelOutputs<'RnnBackward'> = {
    dx: backend.make(dx, [B, T, I], dtype),
    dWIh: backend.make(dWIh, stacked([GH, I]), dtype),
    dWHh: backend.make(dWHh, stacked([GH, H]), dtype),
    dBIh: backend.make(dBIh, stacked([GH]), dtype),
    dBHh: backend.make(dBHh, stacked([GH]), dtype),
    dh0: backend.make(dh0, stacked([B, H]), dtype),
  };
  if (isLstm) outputs.dc0 = backend.make(dc0, stacked([B, H]), dtype);
  return outputs;
};

/** One direction's forward output, cotangents and reserve (dense, as a one-direction call's). */
interface DirectionTape {
  y: FloatArray;
  /** Undefined: zero. */
  dy: FloatArray | undefined;
  dhN: FloatArray;
  dcN: FloatArray | undefined;
  reserve: FloatArray;
}

/** One direction's gradients (`dh`/`dc` are dL/dh0 and dL/dc0). */
interface DirectionGradients {
  dx: FloatArray;
  dWIh: FloatArray;
  dWHh: FloatArray;
  dBIh: FloatArray;
  dBHh: FloatArray;
  dh: FloatArray;
  dc: FloatArray;
}

/** Backpropagation through time of one direction. */
function backwardDirection(
  geometry: RnnGeometry,
  x: FloatArray,
  w: DirectionArrays,
  tape: DirectionTape,
): DirectionGradients {
  const { batch: B, steps: T, inputSize: I, hidden: H, gateWidth: GH } = geometry;
  const { reserveWidth, segment: S } = geometry;
  const isLstm = geometry.cell.cellStateBlock !== undefined;
  const { reserve, dy } = tape;
  // A missing c0 (LSTM only) means a zero initial cell state.
  const c0 = w.c0 ?? zerosLike(x, B * H);

  const dh = zerosLike(x, B * H);
  dh.set(tape.dhN);
  const dc = zerosLike(x, isLstm ? B * H : 0);
  if (isLstm && tape.dcN) dc.set(tape.dcN);
  const dInputGates = zerosLike(x, B * T * GH);
  const cell = geometry.cell;
  const buffers: CellBackwardBuffers = {
    hidden: H,
    reserve: S > 0 ? zerosLike(x, B * S * reserveWidth) : reserve,
    y: tape.y,
    hPrev: zerosLike(x, B * T * H),
    cPrev: zerosLike(x, isLstm ? B * H : 0),
    dh,
    dc,
    dInputGates,
    dHiddenGates: cell.separateHiddenGateGrads ? zerosLike(x, B * T * GH) : dInputGates,
  };
  const weightView = dense(w.wHh, H);

  if (S > 0) {
    const forward = forwardBuffers(geometry, x, w, buffers.reserve);
    const wHhT = transposed(w.wHh, GH, H);
    for (let k = boundaryCount(geometry) - 1; k >= 0; k--) {
      const from = k * S;
      const to = Math.min(T, from + S);
      const rowAt = (b: number, _t: number, position: number) =>
        (b * S + position - from) * reserveWidth;
      loadBoundary(geometry, forward, reserve, k);
      forwardSteps(geometry, forward, wHhT, w.bHh, from, to, rowAt);
      const cellState = isLstm
        ? segmentCellState(geometry, buffers.reserve, reserve, c0, k)
        : undefined;
      backwardSteps(geometry, buffers, weightView, dy, w.h0, from, to, rowAt, cellState);
    }
  } else {
    const rowAt = (b: number, t: number) => (b * T + t) * reserveWidth;
    const cellState = isLstm ? plainCellState(geometry, reserve, c0) : undefined;
    backwardSteps(geometry, buffers, weightView, dy, w.h0, 0, T, rowAt, cellState);
  }

  const { hPrev, dHiddenGates } = buffers;
  const dx = zerosLike(x, B * T * I);
  gemm(false, false, B * T, I, GH, dense(dInputGates, GH), dense(w.wIh, I), dense(dx, I));
  const dWIh = zerosLike(x, GH * I);
  gemm(true, false, GH, I, B * T, dense(dInputGates, GH), dense(x, I), dense(dWIh, I));
  const dWHh = zerosLike(x, GH * H);
  gemm(true, false, GH, H, B * T, dense(dHiddenGates, GH), dense(hPrev, H), dense(dWHh, H));
  const dBIh = zerosLike(x, GH);
  addColumnSums(dInputGates, B * T, GH, dBIh);
  const dBHh = zerosLike(x, GH);
  addColumnSums(dHiddenGates, B * T, GH, dBHh);
  return { dx, dWIh, dWHh, dBIh, dBHh, dh, dc };
}

/** LSTM's cell state before a step on the plain path: the previous step's reserve row, or c0. */
function plainCellState(
  geometry: RnnGeometry,
  reserve: FloatArray,
  c0: FloatArray,
): CellStateBefore {
  const { steps: T, hidden: H, reserveWidth } = geometry;
  const offset = (geometry.cell.cellStateBlock ?? 0) * H;
  return (b, t) => {
    const prev = previousStep(geometry, b, t);
    return prev < 0
      ? { data: c0, at: b * H }
      : { data: reserve, at: (b * T + prev) * reserveWidth + offset };
  };
}

/**
 * LSTM's cell state before a step of checkpoint segment `k`: the recomputed row of the previous
 * position, the segment's boundary at its first position, or c0 before a sequence's first step.
 */
function segmentCellState(
  geometry: RnnGeometry,
  rows: FloatArray,
  boundaries: FloatArray,
  c0: FloatArray,
  k: number,
): CellStateBefore {
  const { batch: B, hidden: H, reserveWidth, stateWidth, segment: S } = geometry;
  const offset = (geometry.cell.cellStateBlock ?? 0) * H;
  const from = k * S;
  return (b, t, position) => {
    if (previousStep(geometry, b, t) < 0) return { data: c0, at: b * H };
    if (position > from) {
      return { data: rows, at: (b * S + position - 1 - from) * reserveWidth + offset };
    }
    return { data: boundaries, at: (k * B + b) * stateWidth + H };
  };
}
