import type { KernelFunc, KernelOutputs } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import type { CellForwardBuffers } from './rnn/cells.js';
import { rnnGeometry, stepAt } from './rnn/geometry.js';
import { floatArrayFor } from './util/float.js';
import { dense, gemm, transposed } from './util/gemm.js';

/**
 * Fused forward pass of one recurrent layer in one direction.
 *
 * The input projection of all steps is one `[B*T, I] @ W_ih^T` product; the loop over steps then
 * does only the `[B, H] @ W_hh^T` product and the cell math, on buffers allocated once. Every
 * sequence is advanced only at its valid steps, so padded steps leave its state frozen and its
 * output zero. The reserve layout is documented on `RnnGeometry` in `rnn/geometry.ts`.
 */
export const rnnForward: KernelFunc<'RnnForward', CpuBackend> = (inputs, attrs, backend) => {
  const geometry = rnnGeometry(inputs, attrs, backend);
  const { cell, batch: B, steps: T, inputSize: I, hidden: H, gateWidth: GH, lengths } = geometry;
  const dtype = inputs.x.dtype;
  const isLstm = attrs.mode === 'LSTM';

  // Transposing the weights once per call (O(G*H*(I+H))) lets every product below use the
  // faster row-axpy loop of gemm instead of row-by-row dot products.
  const wHhT = transposed(backend.floatValues(inputs.wHh), GH, H);
  const bHh = backend.floatValues(inputs.bHh);

  const inputGates = floatArrayFor(dtype, B * T * GH);
  const bIh = backend.floatValues(inputs.bIh);
  for (let row = 0; row < B * T; row++) inputGates.set(bIh, row * GH);
  gemm(
    false,
    false,
    B * T,
    GH,
    I,
    dense(backend.floatValues(inputs.x), I),
    dense(transposed(backend.floatValues(inputs.wIh), GH, I), GH),
    dense(inputGates, GH),
  );

  const h = floatArrayFor(dtype, B * H);
  h.set(backend.floatValues(inputs.h0));
  const c = floatArrayFor(dtype, isLstm ? B * H : 0);
  if (isLstm && inputs.c0) c.set(backend.floatValues(inputs.c0));

  // Outside training the reserve is a one-row scratch that every row overwrites.
  const reserveWidth = geometry.reserveWidth;
  const reserveRowStride = attrs.training ? reserveWidth : 0;
  const reserve = floatArrayFor(dtype, attrs.training ? B * T * reserveWidth : reserveWidth);

  const buffers: CellForwardBuffers = {
    hidden: H,
    inputGates,
    hiddenGates: floatArrayFor(dtype, B * GH),
    h,
    c,
    reserve,
  };
  const stateView = dense(h, H);
  const weightView = dense(wHhT, GH);
  const hiddenGatesView = dense(buffers.hiddenGates, GH);
  const y = floatArrayFor(dtype, B * T * H);

  for (let position = 0; position < T; position++) {
    const t = stepAt(geometry, position);
    for (let b = 0; b < B; b++) buffers.hiddenGates.set(bHh, b * GH);
    gemm(false, false, B, GH, H, stateView, weightView, hiddenGatesView);
    for (let b = 0; b < B; b++) {
      if (t >= lengths[b]) continue;
      const row = b * T + t;
      cell.forwardRow(buffers, row * GH, b * GH, b * H, row * reserveRowStride);
      for (let j = 0; j < H; j++) y[row * H + j] = h[b * H + j];
    }
  }

  const outputs: KernelOutputs<'RnnForward'> = {
    y: backend.make(y, [B, T, H], dtype),
    hN: backend.make(h, [B, H], dtype),
    reserve: attrs.training
      ? backend.make(reserve, [B, T, reserveWidth], dtype)
      : backend.make(floatArrayFor(dtype, 0), [0], dtype),
  };
  if (isLstm) outputs.cN = backend.make(c, [B, H], dtype);
  return outputs;
};
