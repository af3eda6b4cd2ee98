/**
 * The `RnnBackward` kernel of the cpu backend: backpropagation through time of one fused layer and
 * direction (one file per kernel; the cells are in `rnn/cells.ts`).
 */
import type { KernelFunc, KernelOutputs } from '@rnnkit/core';
import { checkReserve } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import type { CellBackwardBuffers } from './rnn/cells.js';
import { boundaryCount, previousStep, type RnnGeometry, rnnGeometry } from './rnn/geometry.js';
import {
  backwardSteps,
  type CellStateBefore,
  forwardBuffers,
  forwardSteps,
  loadBoundary,
} from './rnn/recurrence.js';
import { type FloatArray, floatArrayFor } from './util/float.js';
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
 */
export const rnnBackward: KernelFunc<'RnnBackward', CpuBackend> = (inputs, attrs, backend) => {
  const geometry = rnnGeometry(inputs, attrs, backend);
  const { batch: B, steps: T, inputSize: I, hidden: H, gateWidth: GH } = geometry;
  const { reserveWidth, stateWidth, segment: S } = geometry;
  const dtype = inputs.x.dtype;
  const isLstm = attrs.mode === 'LSTM';

  const reserve = backend.floatValues(inputs.reserve);
  const expected = S > 0 ? boundaryCount(geometry) * B * stateWidth : B * T * reserveWidth;
  checkReserve(backend, expected, reserve.length);
  const h0 = backend.floatValues(inputs.h0);
  // A missing c0 (LSTM only) means a zero initial cell state.
  const c0 = inputs.c0 ? backend.floatValues(inputs.c0) : floatArrayFor(dtype, B * H);
  const wHh = backend.floatValues(inputs.wHh);
  const wIh = backend.floatValues(inputs.wIh);

  const dh = floatArrayFor(dtype, B * H);
  dh.set(backend.floatValues(inputs.dhN));
  const dc = floatArrayFor(dtype, isLstm ? B * H : 0);
  if (isLstm && inputs.dcN) dc.set(backend.floatValues(inputs.dcN));
  const dInputGates = floatArrayFor(dtype, B * T * GH);
  const cell = geometry.cell;
  const buffers: CellBackwardBuffers = {
    hidden: H,
    reserve: S > 0 ? floatArrayFor(dtype, B * S * reserveWidth) : reserve,
    y: backend.floatValues(inputs.y),
    hPrev: floatArrayFor(dtype, B * T * H),
    cPrev: floatArrayFor(dtype, isLstm ? B * H : 0),
    dh,
    dc,
    dInputGates,
    dHiddenGates: cell.separateHiddenGateGrads ? floatArrayFor(dtype, B * T * GH) : dInputGates,
  };
  const weightView = dense(wHh, H);
  const dy = backend.floatValues(inputs.dy);

  if (S > 0) {
    const forward = forwardBuffers(geometry, backend, inputs, buffers.reserve);
    const wHhT = transposed(wHh, GH, H);
    const bHh = backend.floatValues(inputs.bHh);
    for (let k = boundaryCount(geometry) - 1; k >= 0; k--) {
      const from = k * S;
      const to = Math.min(T, from + S);
      const rowAt = (b: number, _t: number, position: number) =>
        (b * S + position - from) * reserveWidth;
      loadBoundary(geometry, forward, reserve, k);
      forwardSteps(geometry, forward, wHhT, bHh, from, to, rowAt);
      const cellState = isLstm
        ? segmentCellState(geometry, buffers.reserve, reserve, c0, k)
        : undefined;
      backwardSteps(geometry, buffers, weightView, dy, h0, from, to, rowAt, cellState);
    }
  } else {
    const rowAt = (b: number, t: number) => (b * T + t) * reserveWidth;
    const cellState = isLstm ? plainCellState(geometry, reserve, c0) : undefined;
    backwardSteps(geometry, buffers, weightView, dy, h0, 0, T, rowAt, cellState);
  }

  const { hPrev, dHiddenGates } = buffers;
  const x = backend.floatValues(inputs.x);
  const dx = floatArrayFor(dtype, B * T * I);
  gemm(false, false, B * T, I, GH, dense(dInputGates, GH), dense(wIh, I), dense(dx, I));
  const dWIh = floatArrayFor(dtype, GH * I);
  gemm(true, false, GH, I, B * T, dense(dInputGates, GH), dense(x, I), dense(dWIh, I));
  const dWHh = floatArrayFor(dtype, GH * H);
  gemm(true, false, GH, H, B * T, dense(dHiddenGates, GH), dense(hPrev, H), dense(dWHh, H));
  const dBIh = floatArrayFor(dtype, GH);
  addColumnSums(dInputGates, B * T, GH, dBIh);
  const dBHh = floatArrayFor(dtype, GH);
  addColumnSums(dHiddenGates, B * T, GH, dBHh);

  const outputs: KernelOutputs<'RnnBackward'> = {
    dx: backend.make(dx, [B, T, I], dtype),
    dWIh: backend.make(dWIh, [GH, I], dtype),
    dWHh: backend.make(dWHh, [GH, H], dtype),
    dBIh: backend.make(dBIh, [GH], dtype),
    dBHh: backend.make(dBHh, [GH], dtype),
    dh0: backend.make(dh, [B, H], dtype),
  };
  if (isLstm) outputs.dc0 = backend.make(dc, [B, H], dtype);
  return outputs;
};

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
