/**
 * The forward recurrence and its step-by-step backward, run over a range of positions, shared by
 * RnnForward, RnnBackward and the checkpointed backward's recomputation of a segment.
 */
import { type FloatArray, zerosLike } from '../util/float.js';
import { dense, gemm, type MatrixView, transposed } from '../util/gemm.js';
import type { CellBackwardBuffers, CellForwardBuffers } from './cells.js';
import { previousStep, type RnnGeometry, stepAt } from './geometry.js';

/** Where the reserve row of batch element `b` at time `t` (visited at `position`) starts. */
export type ReserveOffset = (b: number, t: number, position: number) => number;

/**
 * Advances the state in `buffers` over processing positions `[from, to)`. `buffers.inputGates`
 * holds the input projection of every step (`[B*T, G*H]`); each valid row's reserve is written
 * at `reserveAt(b, t, position)`, and its output at row `b*T + t` of `y` when `y` is given.
 * Deterministic: the same state and range give bit-identical reserve rows, which is what makes
 * the checkpointed backward equal to the plain one.
 */
export function forwardSteps(
  geometry: RnnGeometry,
  buffers: CellForwardBuffers,
  wHhT: FloatArray,
  bHh: FloatArray,
  from: number,
  to: number,
  reserveAt: ReserveOffset,
  y?: FloatArray,
): void {
  const { cell, batch: B, steps: T, hidden: H, gateWidth: GH, lengths } = geometry;
  const { h, hiddenGates } = buffers;
  const stateView = dense(h, H);
  const weightView = dense(wHhT, GH);
  const hiddenGatesView = dense(hiddenGates, GH);
  for (let position = from; position < to; position++) {
    const t = stepAt(geometry, position);
    for (let b = 0; b < B; b++) hiddenGates.set(bHh, b * GH);
    gemm(false, false, B, GH, H, stateView, weightView, hiddenGatesView);
    for (let b = 0; b < B; b++) {
      if (t >= lengths[b]) continue;
      const row = b * T + t;
      cell.forwardRow(buffers, row * GH, b * GH, b * H, reserveAt(b, t, position));
      if (y) for (let j = 0; j < H; j++) y[row * H + j] = h[b * H + j];
    }
  }
}

/** Where the backward recurrence reads the cell state before a step (LSTM). */
export type CellStateBefore = (
  b: number,
  t: number,
  position: number,
) => { data: FloatArray; at: number };

/**
 * Back-propagates through processing positions `[from, to)` in reverse order: for each valid row
 * fills `hPrev` from `y`/`h0`, adds `dy` into `dh` (none when `dy` is undefined: a zero dL/dy),
 * lets the cell write its gate gradients, then carries `dh` through `W_hh` to the previous step.
 */
export function backwardSteps(
  geometry: RnnGeometry,
  buffers: CellBackwardBuffers,
  wHh: MatrixView,
  dy: FloatArray | undefined,
  h0: FloatArray,
  from: number,
  to: number,
  reserveAt: ReserveOffset,
  cellStateBefore: CellStateBefore | undefined,
): void {
  const { cell, batch: B, steps: T, hidden: H, gateWidth: GH, lengths } = geometry;
  const { y, hPrev, cPrev, dh, dHiddenGates } = buffers;
  // The rows of step t in the batch-first gate buffer: offset t*GH, T*GH apart.
  const stepGates = { data: dHiddenGates, offset: 0, ld: T * GH };
  const dhView = dense(dh, H);
  for (let position = to - 1; position >= from; position--) {
    const t = stepAt(geometry, position);
    for (let b = 0; b < B; b++) {
      if (t >= lengths[b]) continue;
      const row = b * T + t;
      const prev = previousStep(geometry, b, t);
      const prevRow = b * T + prev;
      for (let j = 0; j < H; j++) {
        hPrev[row * H + j] = prev < 0 ? h0[b * H + j] : y[prevRow * H + j];
      }
      if (dy) for (let j = 0; j < H; j++) dh[b * H + j] += dy[row * H + j];
      if (cellStateBefore) {
        const { data, at } = cellStateBefore(b, t, position);
        for (let j = 0; j < H; j++) cPrev[b * H + j] = data[at + j];
      }
      cell.backwardRow(buffers, row * H, row * GH, b * H, reserveAt(b, t, position));
    }
    stepGates.offset = t * GH;
    gemm(false, false, B, H, GH, stepGates, wHh, dhView);
  }
}

/**
 * The forward buffers with the input projection `x W_ih^T + b_ih` of every step computed (one
 * product over all `B*T` rows, so a recomputation gives bit-identical rows) and zero states.
 */
export function forwardBuffers(
  geometry: RnnGeometry,
  x: FloatArray,
  { wIh, bIh }: { readonly wIh: FloatArray; readonly bIh: FloatArray },
  reserve: FloatArray,
): CellForwardBuffers {
  const { batch: B, steps: T, inputSize: I, hidden: H, gateWidth: GH } = geometry;
  const inputGates = zerosLike(x, B * T * GH);
  for (let row = 0; row < B * T; row++) inputGates.set(bIh, row * GH);
  // Transposing W_ih once (O(G*H*I)) lets the product use gemm's faster row-axpy loop.
  gemm(
    false,
    false,
    B * T,
    GH,
    I,
    dense(x, I),
    dense(transposed(wIh, GH, I), GH),
    dense(inputGates, GH),
  );
  return {
    hidden: H,
    inputGates,
    hiddenGates: zerosLike(x, B * GH),
    h: zerosLike(x, B * H),
    c: zerosLike(x, geometry.cell.cellStateBlock === undefined ? 0 : B * H),
    reserve,
  };
}

/** Copies the running state (h, and c for LSTM) into checkpoint boundary `k`. */
export function saveBoundary(
  geometry: RnnGeometry,
  { h, c }: CellForwardBuffers,
  boundaries: FloatArray,
  k: number,
): void {
  const { batch: B, hidden: H, stateWidth } = geometry;
  for (let b = 0; b < B; b++) {
    const at = (k * B + b) * stateWidth;
    boundaries.set(h.subarray(b * H, (b + 1) * H), at);
    if (c.length > 0) boundaries.set(c.subarray(b * H, (b + 1) * H), at + H);
  }
}

/** Restores the running state from checkpoint boundary `k` (the inverse of saving it). */
export function loadBoundary(
  geometry: RnnGeometry,
  { h, c }: CellForwardBuffers,
  boundaries: FloatArray,
  k: number,
): void {
  const { batch: B, hidden: H, stateWidth } = geometry;
  for (let b = 0; b < B; b++) {
    const at = (k * B + b) * stateWidth;
    h.set(boundaries.subarray(at, at + H), b * H);
    if (c.length > 0) c.set(boundaries.subarray(at + H, at + 2 * H), b * H);
  }
}
