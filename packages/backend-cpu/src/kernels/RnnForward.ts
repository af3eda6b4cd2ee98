/**
 * The `RnnForward` kernel of the cpu backend: one fused layer, in one direction or both, over a
 * whole sequence (one file per kernel; the cells are in `rnn/cells.ts`).
 */
import type { KernelFunc, KernelOutputs } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import {
  type DirectionArrays,
  directionArrays,
  directionGeometry,
  setHalf,
} from './rnn/directions.js';
import { boundaryCount, type RnnGeometry, rnnGeometry } from './rnn/geometry.js';
import {
  forwardBuffers,
  forwardSteps,
  type ReserveOffset,
  saveBoundary,
} from './rnn/recurrence.js';
import { type FloatArray, floatArrayFor, zerosLike } from './util/float.js';
import { transposed } from './util/gemm.js';

/**
 * Fused forward pass of one recurrent layer in one direction, or with `directions: 2` in both,
 * one after the other, each writing its half of `y`.
 *
 * The input projection of all steps is one `[B*T, I] @ W_ih^T` product; the loop over steps then
 * does only the `[B, H] @ W_hh^T` product and the cell math, on buffers allocated once. Every
 * sequence is advanced only at its valid steps, so padded steps leave its state frozen and its
 * output zero. The reserve layout is documented on `RnnGeometry` in `rnn/geometry.ts` (with two
 * directions: one such reserve per direction, stacked); with a `checkpoint` segment length it
 * holds only the state before each segment.
 */
export const rnnForward: KernelFunc<'RnnForward', CpuBackend> = (inputs, attrs, backend) => {
  const geometry = rnnGeometry(inputs, attrs, backend);
  const { batch: B, steps: T, hidden: H, directions: D } = geometry;
  const dtype = inputs.x.dtype;
  const x = backend.floatValues(inputs.x);
  const y = floatArrayFor(dtype, B * T * D * H);
  const hN = floatArrayFor(dtype, D * B * H);
  const cN = floatArrayFor(dtype, attrs.mode === 'LSTM' ? D * B * H : 0);
  const reserves: FloatArray[] = [];
  let reserveShape: number[] = [0];
  for (let d = 0; d < D; d++) {
    const one = forwardDirection(
      directionGeometry(geometry, d),
      x,
      directionArrays(backend, inputs, geometry, d),
      attrs.training,
    );
    setHalf(y, one.y, B * T, H, d, D);
    hN.set(one.h, d * B * H);
    if (cN.length > 0) cN.set(one.c, d * B * H);
    reserves.push(one.reserve);
    reserveShape = one.reserveShape;
  }
  const reserve = D === 1 ? reserves[0] : zerosLike(x, reserves[0].length * D);
  if (D > 1) reserves.forEach((r, d) => reserve.set(r, d * r.length));
  const stateShape = D === 1 ? [B, H] : [D, B, H];
  const outputs: KernelOutputs<'RnnForward'> = {
    y: backend.make(y, [B, T, D * H], dtype),
    hN: backend.make(hN, stateShape, dtype),
    reserve: backend.make(reserve, D === 1 ? reserveShape : [D, ...reserveShape], dtype),
  };
  if (attrs.mode === 'LSTM') outputs.cN = backend.make(cN, stateShape, dtype);
  return outputs;
};

/** What one direction of the forward produces. */
interface DirectionForward {
  /** `[B, T, H]`. */
  y: FloatArray;
  /** `[B, H]`. */
  h: FloatArray;
  /** `[B, H]` (LSTM), else empty. */
  c: FloatArray;
  /** The reserve (empty outside training) and its shape. */
  reserve: FloatArray;
  reserveShape: number[];
}

/** One direction of the forward pass. */
function forwardDirection(
  geometry: RnnGeometry,
  x: FloatArray,
  w: DirectionArrays,
  training: boolean,
): DirectionForward {
  const { batch: B, steps: T, hidden: H, reserveWidth, stateWidth, gateWidth } = geometry;
  const checkpointed = training && geometry.segment > 0;
  const keepsRows = training && !checkpointed;

  // Outside training and when checkpointing, the reserve rows go to a one-row scratch that
  // every row overwrites.
  const rows = zerosLike(x, keepsRows ? B * T * reserveWidth : reserveWidth);
  const buffers = forwardBuffers(geometry, x, w, rows);
  const { h, c } = buffers;
  h.set(w.h0);
  if (c.length > 0 && w.c0) c.set(w.c0);
  const wHhT = transposed(w.wHh, gateWidth, H);
  const y = zerosLike(x, B * T * H);

  if (checkpointed) {
    const S = geometry.segment;
    const reserve = zerosLike(x, boundaryCount(geometry) * B * stateWidth);
    for (let k = 0; k * S < T; k++) {
      saveBoundary(geometry, buffers, reserve, k);
      forwardSteps(geometry, buffers, wHhT, w.bHh, k * S, Math.min(T, (k + 1) * S), () => 0, y);
    }
    return { y, h, c, reserve, reserveShape: [boundaryCount(geometry), B, stateWidth] };
  }
  const reserveAt: ReserveOffset = keepsRows ? (b, t) => (b * T + t) * reserveWidth : () => 0;
  forwardSteps(geometry, buffers, wHhT, w.bHh, 0, T, reserveAt, y);
  return keepsRows
    ? { y, h, c, reserve: rows, reserveShape: [B, T, reserveWidth] }
    : { y, h, c, reserve: zerosLike(x, 0), reserveShape: [0] };
}
