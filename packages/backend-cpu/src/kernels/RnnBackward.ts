import type { KernelFunc, KernelOutputs } from '@rnnkit/core';
import { checkReserve } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import type { CellBackwardBuffers } from './rnn/cells.js';
import { previousStep, rnnGeometry, stepAt } from './rnn/geometry.js';
import { floatArrayFor } from './util/float.js';
import { addColumnSums, dense, gemm } from './util/gemm.js';

/**
 * Backpropagation through time for {@link rnnForward}.
 *
 * Steps are visited in the reverse of the forward's processing order. Per step only the cell
 * math and the `[B, G*H] @ W_hh` product that carries dL/dh to the previous step run; the
 * pre-activation gradients of every step are collected in `[B*T, G*H]` buffers (batch-first like
 * x), together with the state before each step, so the weight gradients, bias gradients and dx
 * are each one large product or column sum at the end. Rows of padded steps stay zero, which is
 * what gives padded x zero gradient and passes dL/dh through frozen states unchanged.
 */
export const rnnBackward: KernelFunc<'RnnBackward', CpuBackend> = (inputs, attrs, backend) => {
  const geometry = rnnGeometry(inputs, attrs, backend);
  const { cell, batch: B, steps: T, inputSize: I, hidden: H, gateWidth: GH } = geometry;
  const { lengths, reserveWidth } = geometry;
  const dtype = inputs.x.dtype;
  const isLstm = attrs.mode === 'LSTM';

  const reserve = backend.floatValues(inputs.reserve);
  checkReserve(backend, B * T * reserveWidth, reserve.length);
  const y = backend.floatValues(inputs.y);
  const dy = backend.floatValues(inputs.dy);
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
  const buffers: CellBackwardBuffers = {
    hidden: H,
    reserve,
    y,
    hPrev: floatArrayFor(dtype, B * T * H),
    cPrev: floatArrayFor(dtype, isLstm ? B * H : 0),
    dh,
    dc,
    dInputGates,
    dHiddenGates: cell.separateHiddenGateGrads ? floatArrayFor(dtype, B * T * GH) : dInputGates,
  };
  const { hPrev, cPrev, dHiddenGates } = buffers;
  const cellStateOffset = (cell.cellStateBlock ?? 0) * H;

  // The rows of step t in the batch-first gate buffer: offset t*GH, T*GH apart. Mutated per step
  // rather than reallocated.
  const stepGates = { data: dHiddenGates, offset: 0, ld: T * GH };
  const weightView = dense(wHh, H);
  const dhView = dense(dh, H);

  for (let position = T - 1; position >= 0; position--) {
    const t = stepAt(geometry, position);
    for (let b = 0; b < B; b++) {
      if (t >= lengths[b]) continue;
      const row = b * T + t;
      const prev = previousStep(geometry, b, t);
      const prevRow = b * T + prev;
      for (let j = 0; j < H; j++) {
        hPrev[row * H + j] = prev < 0 ? h0[b * H + j] : y[prevRow * H + j];
        dh[b * H + j] += dy[row * H + j];
      }
      if (isLstm) {
        for (let j = 0; j < H; j++) {
          cPrev[b * H + j] =
            prev < 0 ? c0[b * H + j] : reserve[prevRow * reserveWidth + cellStateOffset + j];
        }
      }
      cell.backwardRow(buffers, row * H, row * GH, b * H, row * reserveWidth);
    }
    stepGates.offset = t * GH;
    gemm(false, false, B, H, GH, stepGates, weightView, dhView);
  }

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
