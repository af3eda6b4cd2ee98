// Checkpointed backpropagation through time in the fused recurrent kernels. The sequence is cut
// into segments of S steps of the processing order. The forward pass keeps, per batch row, only
// the state (h, and c for LSTM) before each segment: the reserve is `[B, K, SW]` floats, K =
// ⌈T/S⌉, SW = H (2H for LSTM, h then c). The backward pass takes the segments last first:
// it recomputes the segment's activations from its boundary into segment-sized buffers, replays
// its steps in reverse, adds its rows of dx, and accumulates the weight and bias gradients with
// one product over the segment's rows. Memory: the boundaries plus O(B*S) work, instead of a
// reserve and work of O(B*T) rows; compute: one extra forward pass.
//
// Segments are the outer loop on the calling thread; each segment is one task whose parts are
// blocks of batch rows (as in RnnForward.ts / RnnBackward.ts), so threads share it the same way.
//
// Segment buffers have B*S rows: batch row b's valid steps of the segment, in time order, at rows
// b*S .. b*S + count - 1. Its first row is time step `first` (see segmentOf); rows past the
// count are unused (zero where a product reads them).
import { gemmPacked, packBAll, packedBBytes } from '../util/gemm';
import { alloc, free } from '../memory';
import { arg, columnSums, gemmParallel, partsOf, setArg, TASK_RNN_BACKWARD, TASK_RNN_FORWARD } from '../parallel';
import { threadScratch, runParallel } from '../threads';
import { rowBackwardAny, rowForwardAny } from './cells';
import { MODE_GRU as GRU, MODE_LSTM as LSTM } from '../generated/ops';
import { gatesOf, lengthOf, stepAt } from './layout';
import {
  C_SEGMENT, F_BHH, F_BIH, F_CN, F_HN, F_X, F_Y, K_DC0, K_DH0, K_DX, K_DY, R_B, R_CPREV, R_EXTRA, R_GATES,
  R_H, R_HPREV, R_I, R_LENGTHS, R_MODE, R_PACKED_WHH, R_PACKED_WIH, R_REVERSE, R_ROWS, R_T,
  optionalRowsAt, rnnArgs, rowsAt,
} from './tasks';

// Argument words of the checkpointed tasks, after those of tasks.ts (which has C_SEGMENT).
const C_FROM = 25;
const C_BOUNDS = 26;
const C_WORK = 27;
const C_X = 28;
const C_BIH = 29;
const C_BHH = 30;
const C_PACKED_FWD = 31;

// Sections of the work area, in order; each is [B*S, width] (segment rows) or [B, width].
const W_GATES = 0;
const W_EXTRA = 1;
const W_HPREV = 2;
const W_CPREV = 3;
const W_Y = 4;
const W_X = 5;
const W_DGX = 6;
const W_DGH = 7;
const W_HP = 8;
const W_DGS = 9;
const W_DHNEW = 10;
const W_HRUN = 11;
const W_CRUN = 12;
const W_BIAS = 13;
const W_END = 14;

/** Byte offset of work section `which` for these sizes. */
function workOffset(which: i32, mode: i32, B: i32, S: i32, I: i32, H: i32): usize {
  const GH = <usize>(gatesOf(mode) * H);
  const rows = <usize>B * <usize>S;
  let at: usize = 0;
  for (let w = 0; w < which; w++) {
    let floats: usize = 0;
    if (w == W_GATES || w == W_DGX) floats = rows * GH;
    else if (w == W_DGH) floats = mode == GRU ? rows * GH : 0;
    else if (w == W_EXTRA || w == W_HPREV || w == W_CPREV || w == W_Y) floats = rows * <usize>H;
    else if (w == W_X) floats = rows * <usize>I;
    else if (w == W_HP || w == W_DGS) floats = <usize>B * GH;
    else if (w == W_DHNEW || w == W_HRUN || w == W_CRUN) floats = <usize>B * <usize>H;
    else floats = 2 * GH;
    at += (floats * 4 + 15) & ~15;
  }
  return at;
}

/** The address of work section `which` of a task. */
function workAt(args: usize, which: i32): usize {
  const mode = arg(args, R_MODE);
  return <usize>arg(args, C_WORK) + workOffset(
    which, mode, arg(args, R_B), arg(args, C_SEGMENT), arg(args, R_I), arg(args, R_H),
  );
}

/** Floats of the reserve of a checkpointed forward: [B, ⌈T/S⌉, SW]. */
function boundaryFloats(mode: i32, H: i32): i32 {
  return mode == LSTM ? 2 * H : H;
}

/**
 * The valid steps of batch row `b` in segment [from, from + S): their count (≤ 0: none) in the
 * high word and the first time step in the low word.
 */
// @ts-ignore: decorator
@inline function segmentOf(lengths: usize, b: i32, T: i32, S: i32, from: i32, reverse: bool): i64 {
  const len = lengthOf(lengths, b, T);
  const end = min(from + S, len);
  const first = reverse ? len - end : from;
  return (<i64>(end - from) << 32) | <i64><u32>first;
}

/** Stores row b's state into boundary k (h, then c for LSTM) of the [B, K, SW] reserve. */
// @ts-ignore: decorator
@inline function boundaryAt(bounds: usize, b: i32, k: i32, K: i32, SW: i32): usize {
  return bounds + ((<usize>b * <usize>K + <usize>k) * <usize>SW << 2);
}

/**
 * Runs segment [from, from + S) of the forward recurrence for the `B` batch rows whose state is
 * in `h`/`c` (updated in place): the input projection of the segment's rows, then each step's
 * product and cell epilogue, writing the activations, hprev and cprev into the segment buffers.
 */
function forwardSegment(
  mode: i32, B: i32, T: i32, I: i32, H: i32, S: i32, from: i32, reverse: bool, lengths: usize,
  x: usize, bIh: usize, bHh: usize, h: usize, c: usize,
  gates: usize, extra: usize, hprev: usize, cprev: usize, y: usize,
  packedWih: usize, packedWhh: usize, hp: usize, pa: usize,
): void {
  const GH = gatesOf(mode) * H;
  const rowBytes = <usize>GH << 2;
  const hBytes = <usize>H << 2;
  const to = min(T, from + S);
  for (let b = 0; b < B; b++) {
    const seg = segmentOf(lengths, b, T, S, from, reverse);
    const count = <i32>(seg >> 32);
    if (count <= 0) continue;
    const first = <i32>seg;
    const rows = gates + <usize>(b * S) * rowBytes;
    for (let r = 0; r < count; r++) {
      for (let j = 0; j < GH; j++) {
        const p = <usize>j << 2;
        let v = load<f32>(bIh + p);
        if (mode != GRU) v += load<f32>(bHh + p);
        store<f32>(rows + <usize>r * rowBytes + p, v);
      }
    }
    gemmPacked(
      count, GH, I, x + (<usize>(b * T + first) * <usize>I << 2), I, 1, packedWih, rows, GH, true, pa,
    );
  }
  memory.fill(hprev, 0, <usize>(B * S) * hBytes);
  for (let s = from; s < to; s++) {
    gemmPacked(B, GH, H, h, H, 1, packedWhh, hp, GH, false, pa);
    for (let b = 0; b < B; b++) {
      const t = stepAt(lengths, b, T, s, reverse);
      if (t < 0) continue;
      const first = <i32>segmentOf(lengths, b, T, S, from, reverse);
      const row = <usize>(b * S + t - first);
      const hb = h + (<usize>(b * H) << 2);
      const cb = c + (<usize>(b * H) << 2);
      memory.copy(hprev + row * hBytes, hb, hBytes);
      if (mode == LSTM) memory.copy(cprev + row * hBytes, cb, hBytes);
      rowForwardAny(
        mode, H, gates + row * rowBytes, hp + <usize>b * rowBytes, bHh, hb, cb,
        y + row * hBytes, extra + row * hBytes,
      );
    }
  }
}

/** Batch rows [part * rows, ...) of one segment of a checkpointed forward task. */
export function checkpointForwardPart(args: usize, part: i32, thread: i32): void {
  const mode = arg(args, R_MODE);
  const B = arg(args, R_B);
  const T = arg(args, R_T);
  const I = arg(args, R_I);
  const H = arg(args, R_H);
  const S = arg(args, C_SEGMENT);
  const from = arg(args, C_FROM);
  const reverse = arg(args, R_REVERSE) != 0;
  const GH = gatesOf(mode) * H;
  const b0 = part * arg(args, R_ROWS);
  const Bs = min(B, b0 + arg(args, R_ROWS)) - b0;
  const lengthsAll = <usize>arg(args, R_LENGTHS);
  const lengths = lengthsAll != 0 ? lengthsAll + (<usize>b0 << 2) : 0;
  const h = rowsAt(args, F_HN, b0, H);
  const c = rowsAt(args, F_CN, b0, H);
  const bounds = <usize>arg(args, C_BOUNDS);
  const K = (T + S - 1) / S;
  const SW = boundaryFloats(mode, H);
  const hBytes = <usize>H << 2;
  if (bounds != 0) {
    for (let b = 0; b < Bs; b++) {
      const at = boundaryAt(bounds, b0 + b, from / S, K, SW);
      memory.copy(at, h + <usize>b * hBytes, hBytes);
      if (mode == LSTM) memory.copy(at + hBytes, c + <usize>b * hBytes, hBytes);
    }
  }
  const ySeg = workAt(args, W_Y) + (<usize>(b0 * S) * hBytes);
  forwardSegment(
    mode, Bs, T, I, H, S, from, reverse, lengths,
    rowsAt(args, F_X, b0 * T, I), <usize>arg(args, F_BIH), <usize>arg(args, F_BHH), h, c,
    rowsAt(args, R_GATES, b0 * S, GH), rowsAt(args, R_EXTRA, b0 * S, H),
    rowsAt(args, R_HPREV, b0 * S, H), rowsAt(args, R_CPREV, b0 * S, H), ySeg,
    <usize>arg(args, R_PACKED_WIH), <usize>arg(args, R_PACKED_WHH),
    workAt(args, W_HP) + (<usize>(b0 * GH) << 2), threadScratch(thread),
  );
  // The segment's outputs, in time order per row, into y.
  const y = rowsAt(args, F_Y, b0 * T, H);
  for (let b = 0; b < Bs; b++) {
    const seg = segmentOf(lengths, b, T, S, from, reverse);
    const count = <i32>(seg >> 32);
    if (count <= 0) continue;
    memory.copy(
      y + <usize>(b * T + <i32>seg) * hBytes, ySeg + <usize>(b * S) * hBytes, <usize>count * hBytes,
    );
  }
}

/** Allocates the work area of a checkpointed call; 0 when memory is exhausted. */
function allocWork(mode: i32, B: i32, S: i32, I: i32, H: i32, extra: usize): usize {
  return alloc(workOffset(W_END, mode, B, S, I, H) + extra);
}

/** Points the reserve words of `args` at the segment buffers of the work area. */
function useSegmentBuffers(args: usize, work: usize, S: i32): void {
  setArg(args, C_SEGMENT, S);
  setArg(args, C_WORK, <i32>work);
  setArg(args, R_GATES, <i32>workAt(args, W_GATES));
  setArg(args, R_EXTRA, <i32>workAt(args, W_EXTRA));
  setArg(args, R_HPREV, <i32>workAt(args, W_HPREV));
  setArg(args, R_CPREV, <i32>workAt(args, W_CPREV));
}

/**
 * Checkpointed forward pass: as `rnnForward`, but with the [B, ⌈T/S⌉, SW] boundaries as the
 * reserve (or `bounds` 0 outside training). Returns 0, or the bytes of work it could not allocate.
 */
export function rnnForwardCheckpointed(
  mode: i32, B: i32, T: i32, I: i32, H: i32, S: i32,
  x: usize, wIh: usize, wHh: usize, bIh: usize, bHh: usize, h0: usize, c0: usize,
  lengths: usize, reverse: bool,
  y: usize, hN: usize, cN: usize, bounds: usize,
): f64 {
  const GH = gatesOf(mode) * H;
  const bytesWih = packedBBytes(I, GH);
  const packedBytes = bytesWih + packedBBytes(H, GH);
  const work = allocWork(mode, B, S, I, H, packedBytes);
  if (work == 0) return <f64>(workOffset(W_END, mode, B, S, I, H) + packedBytes);
  const stateBytes = <usize>(B * H) << 2;
  memory.copy(hN, h0, stateBytes);
  if (mode == LSTM) {
    if (c0 != 0) memory.copy(cN, c0, stateBytes);
    else memory.fill(cN, 0, stateBytes);
  }
  memory.fill(y, 0, <usize>(B * T) * (<usize>H << 2));
  const args = rnnArgs(mode, B, T, I, H, lengths, reverse, 0);
  useSegmentBuffers(args, work, S);
  const packed = work + workOffset(W_END, mode, B, S, I, H);
  packBAll(wIh, 1, I, I, GH, packed);
  packBAll(wHh, 1, H, H, GH, packed + bytesWih);
  setArg(args, R_PACKED_WIH, <i32>packed);
  setArg(args, R_PACKED_WHH, <i32>(packed + bytesWih));
  setArg(args, F_X, <i32>x);
  setArg(args, F_BIH, <i32>bIh);
  setArg(args, F_BHH, <i32>bHh);
  setArg(args, F_Y, <i32>y);
  setArg(args, F_HN, <i32>hN);
  setArg(args, F_CN, <i32>cN);
  setArg(args, C_BOUNDS, <i32>bounds);
  if (B > 0 && H > 0) {
    for (let from = 0; from < T; from += S) {
      setArg(args, C_FROM, from);
      runParallel(TASK_RNN_FORWARD, args, partsOf(B, arg(args, R_ROWS)));
    }
  }
  // Plain tasks reuse the argument block: they must not see a segment length.
  setArg(args, C_SEGMENT, 0);
  free(work);
  return 0;
}

/** Batch rows [part * rows, ...) of one segment of a checkpointed backward task. */
export function checkpointBackwardPart(args: usize, part: i32, thread: i32): void {
  const mode = arg(args, R_MODE);
  const B = arg(args, R_B);
  const T = arg(args, R_T);
  const I = arg(args, R_I);
  const H = arg(args, R_H);
  const S = arg(args, C_SEGMENT);
  const from = arg(args, C_FROM);
  const reverse = arg(args, R_REVERSE) != 0;
  const GH = gatesOf(mode) * H;
  const b0 = part * arg(args, R_ROWS);
  const Bs = min(B, b0 + arg(args, R_ROWS)) - b0;
  const lengthsAll = <usize>arg(args, R_LENGTHS);
  const lengths = lengthsAll != 0 ? lengthsAll + (<usize>b0 << 2) : 0;
  const hBytes = <usize>H << 2;
  const rowBytes = <usize>GH << 2;
  const pa = threadScratch(thread);
  const K = (T + S - 1) / S;
  const SW = boundaryFloats(mode, H);
  const bounds = <usize>arg(args, C_BOUNDS);

  // Recompute the segment from its boundary.
  const h = workAt(args, W_HRUN) + <usize>b0 * hBytes;
  const c = workAt(args, W_CRUN) + <usize>b0 * hBytes;
  for (let b = 0; b < Bs; b++) {
    const at = boundaryAt(bounds, b0 + b, from / S, K, SW);
    memory.copy(h + <usize>b * hBytes, at, hBytes);
    if (mode == LSTM) memory.copy(c + <usize>b * hBytes, at + hBytes, hBytes);
  }
  const gates = rowsAt(args, R_GATES, b0 * S, GH);
  const extra = rowsAt(args, R_EXTRA, b0 * S, H);
  const hprev = rowsAt(args, R_HPREV, b0 * S, H);
  const cprev = rowsAt(args, R_CPREV, b0 * S, H);
  const packedFwd = <usize>arg(args, C_PACKED_FWD);
  forwardSegment(
    mode, Bs, T, I, H, S, from, reverse, lengths,
    rowsAt(args, C_X, b0 * T, I), <usize>arg(args, C_BIH), <usize>arg(args, C_BHH), h, c,
    gates, extra, hprev, cprev, workAt(args, W_Y) + <usize>(b0 * S) * hBytes,
    packedFwd, packedFwd + packedBBytes(I, GH),
    workAt(args, W_HP) + <usize>b0 * rowBytes, pa,
  );

  // Replay its steps in reverse; dh0 and dc0 carry the state gradients between segments.
  const dgx = workAt(args, W_DGX) + <usize>(b0 * S) * rowBytes;
  const dgh = mode == GRU ? workAt(args, W_DGH) + <usize>(b0 * S) * rowBytes : dgx;
  const dgs = workAt(args, W_DGS) + <usize>b0 * rowBytes;
  const dy = optionalRowsAt(args, K_DY, b0 * T, H);
  const dh0 = rowsAt(args, K_DH0, b0, H);
  const dc = rowsAt(args, K_DC0, b0, H);
  let dh = dh0;
  let dhNew = workAt(args, W_DHNEW) + <usize>b0 * hBytes;
  memory.fill(dgx, 0, <usize>(Bs * S) * rowBytes);
  if (mode == GRU) memory.fill(dgh, 0, <usize>(Bs * S) * rowBytes);
  for (let s = min(T, from + S) - 1; s >= from; s--) {
    memory.fill(dgs, 0, <usize>Bs * rowBytes);
    for (let b = 0; b < Bs; b++) {
      const t = stepAt(lengths, b, T, s, reverse);
      const dhb = dh + <usize>b * hBytes;
      const dhnb = dhNew + <usize>b * hBytes;
      if (t < 0) {
        memory.copy(dhnb, dhb, hBytes);
        continue;
      }
      const row = <usize>(b * S + t - <i32>segmentOf(lengths, b, T, S, from, reverse));
      rowBackwardAny(
        mode, H, gates + row * rowBytes, extra + row * hBytes, hprev + row * hBytes,
        cprev + row * hBytes, dhb, dy != 0 ? dy + <usize>(b * T + t) * hBytes : 0,
        dc + <usize>b * hBytes,
        dgx + row * rowBytes, dgh + row * rowBytes, dhnb,
      );
      memory.copy(dgs + <usize>b * rowBytes, dgh + row * rowBytes, rowBytes);
    }
    gemmPacked(Bs, H, GH, dgs, GH, 1, <usize>arg(args, R_PACKED_WHH), dhNew, H, true, pa);
    const tmp = dh;
    dh = dhNew;
    dhNew = tmp;
  }
  if (dh != dh0) memory.copy(dh0, dh, <usize>Bs * hBytes);

  // Its rows of dx = dG W_ih, and of x for the weight gradient (zero past each row's count).
  const dx = rowsAt(args, K_DX, b0 * T, I);
  const x = rowsAt(args, C_X, b0 * T, I);
  const xSeg = workAt(args, W_X) + (<usize>(b0 * S * I) << 2);
  const xBytes = <usize>I << 2;
  memory.fill(xSeg, 0, <usize>(Bs * S) * xBytes);
  for (let b = 0; b < Bs; b++) {
    const seg = segmentOf(lengths, b, T, S, from, reverse);
    const count = <i32>(seg >> 32);
    if (count <= 0) continue;
    const first = <usize>(b * T + <i32>seg);
    gemmPacked(
      count, I, GH, dgx + <usize>(b * S) * rowBytes, GH, 1, <usize>arg(args, R_PACKED_WIH),
      dx + first * xBytes, I, false, pa,
    );
    memory.copy(xSeg + <usize>(b * S) * xBytes, x + first * xBytes, <usize>count * xBytes);
  }
}

/**
 * Checkpointed backward pass: as `rnnBackward`, given the boundaries of a checkpointed forward
 * as `bounds`; `dy` 0 is a zero dL/dy (nothing of its size is allocated). Returns 0, or the
 * bytes of work it could not allocate.
 */
export function rnnBackwardCheckpointed(
  mode: i32, B: i32, T: i32, I: i32, H: i32, S: i32,
  x: usize, wIh: usize, wHh: usize, bIh: usize, bHh: usize, lengths: usize, reverse: bool,
  bounds: usize, dy: usize, dhN: usize, dcN: usize,
  dx: usize, dWIh: usize, dWHh: usize, dBIh: usize, dBHh: usize, dh0: usize, dc0: usize,
): f64 {
  const GH = gatesOf(mode) * H;
  const bytesWihFwd = packedBBytes(I, GH);
  const packedBytes = bytesWihFwd + packedBBytes(H, GH) + packedBBytes(GH, H) + packedBBytes(GH, I);
  const work = allocWork(mode, B, S, I, H, packedBytes);
  if (work == 0) return <f64>(workOffset(W_END, mode, B, S, I, H) + packedBytes);
  const stateBytes = <usize>(B * H) << 2;
  if (dhN != 0) memory.copy(dh0, dhN, stateBytes);
  else memory.fill(dh0, 0, stateBytes);
  if (mode == LSTM) {
    if (dcN != 0) memory.copy(dc0, dcN, stateBytes);
    else memory.fill(dc0, 0, stateBytes);
  }
  memory.fill(dx, 0, <usize>(B * T) * (<usize>I << 2));
  memory.fill(dWIh, 0, <usize>(GH * I) << 2);
  memory.fill(dWHh, 0, <usize>(GH * H) << 2);
  memory.fill(dBIh, 0, <usize>GH << 2);
  memory.fill(dBHh, 0, <usize>GH << 2);

  // Forward orientation (W_ih^T, W_hh^T) for the recomputation, backward orientation (W_hh as
  // the right operand of dGs W_hh, W_ih of dG W_ih) for the gradients.
  const packedFwd = work + workOffset(W_END, mode, B, S, I, H);
  const packedWhhFwd = packedFwd + bytesWihFwd;
  const packedWhh = packedWhhFwd + packedBBytes(H, GH);
  const packedWih = packedWhh + packedBBytes(GH, H);
  packBAll(wIh, 1, I, I, GH, packedFwd);
  packBAll(wHh, 1, H, H, GH, packedWhhFwd);
  packBAll(wHh, H, 1, GH, H, packedWhh);
  packBAll(wIh, I, 1, GH, I, packedWih);
  if (B > 0 && H > 0 && T > 0) {
    const rows = B * S;
    const dgx = work + workOffset(W_DGX, mode, B, S, I, H);
    const dgh = mode == GRU ? work + workOffset(W_DGH, mode, B, S, I, H) : dgx;
    const hprev = work + workOffset(W_HPREV, mode, B, S, I, H);
    const xSeg = work + workOffset(W_X, mode, B, S, I, H);
    const sums = work + workOffset(W_BIAS, mode, B, S, I, H);
    for (let from = (T - 1) / S * S; from >= 0; from -= S) {
      // The products below share the argument block, so the task's arguments are written anew.
      const args = rnnArgs(mode, B, T, I, H, lengths, reverse, 0);
      useSegmentBuffers(args, work, S);
      setArg(args, C_FROM, from);
      setArg(args, C_PACKED_FWD, <i32>packedFwd);
      setArg(args, R_PACKED_WHH, <i32>packedWhh);
      setArg(args, R_PACKED_WIH, <i32>packedWih);
      setArg(args, C_X, <i32>x);
      setArg(args, C_BIH, <i32>bIh);
      setArg(args, C_BHH, <i32>bHh);
      setArg(args, C_BOUNDS, <i32>bounds);
      setArg(args, K_DY, <i32>dy);
      setArg(args, K_DX, <i32>dx);
      setArg(args, K_DH0, <i32>dh0);
      setArg(args, K_DC0, <i32>dc0);
      runParallel(TASK_RNN_BACKWARD, args, partsOf(B, arg(args, R_ROWS)));
      setArg(args, C_SEGMENT, 0);
      // The segment's share of the weight and bias gradients (unused rows are zero).
      gemmParallel(GH, I, rows, dgx, 1, GH, xSeg, I, 1, dWIh, I, true);
      gemmParallel(GH, H, rows, dgh, 1, GH, hprev, H, 1, dWHh, H, true);
      columnSums(dgx, rows, GH, sums);
      columnSums(dgh, rows, GH, sums + (<usize>GH << 2));
      for (let j = 0; j < GH; j++) {
        const p = <usize>j << 2;
        store<f32>(dBIh + p, load<f32>(dBIh + p) + load<f32>(sums + p));
        store<f32>(dBHh + p, load<f32>(dBHh + p) + load<f32>(sums + (<usize>GH << 2) + p));
      }
    }
  }
  free(work);
  return 0;
}
