/**
 * The `RnnForward` kernel of the cpu backend: one fused layer and direction over a whole sequence
 * (one file per kernel; the cells are in `rnn/cells.ts`).
 */
import type { KernelFunc, KernelOutputs } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import { boundaryCount, rnnGeometry } from './rnn/geometry.js';
import {
  forwardBuffers,
  forwardSteps,
  type ReserveOffset,
  saveBoundary,
} from './rnn/recurrence.js';
import { type FloatArray, floatArrayFor } from './util/float.js';
import { transposed } from './util/gemm.js';

/**
 * Fused forward pass of one recurrent layer in one direction.
 *
 * The input projection of all steps is one `[B*T, I] @ W_ih^T` product; the loop over steps then
 * does only the `[B, H] @ W_hh^T` product and the cell math, on buffers allocated once. Every
 * sequence is advanced only at its valid steps, so padded steps leave its state frozen and its
 * output zero. The reserve layout is documented on `RnnGeometry` in `rnn/geometry.ts`; with a
 * `checkpoint` segment length it holds only the state before each segment.
 */
export const rnnForward: KernelFunc<'RnnForward', CpuBackend> = (inputs, attrs, backend) => {
  const geometry = rnnGeometry(inputs, attrs, backend);
  const { batch: B, steps: T, hidden: H, reserveWidth, stateWidth } = geometry;
  const dtype = inputs.x.dtype;
  const isLstm = attrs.mode === 'LSTM';
  const checkpointed = attrs.training && geometry.segment > 0;
  const keepsRows = attrs.training && !checkpointed;

  // Outside training and when checkpointing, the reserve rows go to a one-row scratch that
  // every row overwrites.
  const rows = floatArrayFor(dtype, keepsRows ? B * T * reserveWidth : reserveWidth);
  const buffers = forwardBuffers(geometry, backend, inputs, rows);
  const { h, c } = buffers;
  h.set(backend.floatValues(inputs.h0));
  if (isLstm && inputs.c0) c.set(backend.floatValues(inputs.c0));
  const wHhT = transposed(backend.floatValues(inputs.wHh), geometry.gateWidth, H);
  const bHh = backend.floatValues(inputs.bHh);
  const y = floatArrayFor(dtype, B * T * H);

  let reserve: FloatArray;
  if (checkpointed) {
    const S = geometry.segment;
    reserve = floatArrayFor(dtype, boundaryCount(geometry) * B * stateWidth);
    for (let k = 0; k * S < T; k++) {
      saveBoundary(geometry, buffers, reserve, k);
      forwardSteps(geometry, buffers, wHhT, bHh, k * S, Math.min(T, (k + 1) * S), () => 0, y);
    }
  } else {
    const reserveAt: ReserveOffset = keepsRows ? (b, t) => (b * T + t) * reserveWidth : () => 0;
    forwardSteps(geometry, buffers, wHhT, bHh, 0, T, reserveAt, y);
    reserve = keepsRows ? rows : floatArrayFor(dtype, 0);
  }

  const outputs: KernelOutputs<'RnnForward'> = {
    y: backend.make(y, [B, T, H], dtype),
    hN: backend.make(h, [B, H], dtype),
    reserve: checkpointed
      ? backend.make(reserve, [boundaryCount(geometry), B, stateWidth], dtype)
      : keepsRows
        ? backend.make(reserve, [B, T, reserveWidth], dtype)
        : backend.make(reserve, [0], dtype),
  };
  if (isLstm) outputs.cN = backend.make(c, [B, H], dtype);
  return outputs;
};
