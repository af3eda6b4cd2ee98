// The RnnForward kernel: a fused recurrent layer (one layer, one direction or both, a whole
// batch-first sequence per call). The batch of each direction is cut into parts (parallel.ts
// decides how many) that the threads run independently through every step: the input projection of the part's rows is one
// [rows*T, I] x W_ih^T product written straight into the reserve's gate block (pre-filled with
// the biases); then each step runs the [rows, H] x W_hh^T product (W_ih and W_hh are packed once
// per call and shared), followed by the cell epilogue (rnn/cells.ts), which adds the projections,
// applies the gate non-linearities, updates h (and c) in place and overwrites the gate block with
// the activations the backward pass needs. The reserve layout is described in rnn/layout.ts.
// Inference (no reserve kept) runs each step's input projection just before its hidden product,
// into one step's gate rows, so nothing of size T is written besides y.
import { gemmPacked, packBAll, packedBBytes } from './util/gemm';
import { scratch } from './memory';
import { arg, setArg, TASK_RNN_FORWARD } from './parallel';
import { checkpointForwardPart } from './rnn/checkpoint';
import { rowForwardAny, rowInferAny } from './rnn/cells';
import { gatesOf, lengthOf, rnnInferenceFloats, rnnReserveFloats, stepAt } from './rnn/layout';
import {
  C_SEGMENT, F_BHH, F_BIH, F_C0, F_CN, F_H0, F_HN, F_HP, F_KEEP, F_X, F_Y, R_B, R_CPREV, R_DIRS,
  R_EXTRA,
  R_GATES, R_H, R_HPREV, R_I, R_LENGTHS, R_MODE, R_PACKED_WHH, R_PACKED_WIH, R_REVERSE, R_ROWS, R_T,
  directionFloats, optionalRowsAt, partArgs, partOfDirection, rnnArgs, rowsAt, runDirections,
} from './rnn/tasks';
import { threadScratch } from './threads';
import { MODE_GRU, MODE_LSTM } from './generated/ops';

/**
 * Forward pass. Inputs: x [B,T,I], wIh [G*H,I], wHh [G*H,H], bIh, bHh [G*H], h0, c0 [B,H]
 * (c0 = 0 pointer when not LSTM), lengths int32 [B] or 0. Outputs: y [B,T,H], hN, cN [B,H]
 * (used as the running state) and, when `training`, `reserve` of {@link rnnReserveFloats}
 * floats; otherwise `reserve` is a work area of {@link rnnInferenceFloats} floats.
 *
 * With `D` = 2 directions every weight, state and the reserve are stacked per direction
 * (direction d's reserve at d * directionFloats(rnnReserveFloats) floats), y is [B,T,2H] and
 * direction 1 runs the other way than `reverse` says.
 *
 * Every batch row is independent, so the batch is cut into parts (parallel.ts decides how many)
 * that the threads run through all T steps; with two directions the parts of both make one task
 * (tasks.ts, runDirections). W_ih^T and W_hh^T are packed once per direction here and shared.
 */
export function rnnForward(
  mode: i32, B: i32, T: i32, I: i32, H: i32,
  x: usize, wIh: usize, wHh: usize, bIh: usize, bHh: usize, h0: usize, c0: usize,
  lengths: usize, reverse: bool, D: i32,
  y: usize, hN: usize, cN: usize, reserve: usize, training: bool,
): void {
  if (B == 0) return;
  const GH = gatesOf(mode) * H;
  // W_ih^T and W_hh^T packed once per direction for the whole sequence; scratch slot 0 belongs
  // to the calling thread's packing, 1 to 3 to us.
  const wihBytes = packedBBytes(I, GH);
  const whhBytes = packedBBytes(H, GH);
  const hpBytes = ((<usize>(B * GH) << 2) + 15) & ~15;
  const packedWih = scratch(1, <usize>D * wihBytes);
  const packedWhh = scratch(2, <usize>D * whhBytes);
  const hp = scratch(3, <usize>D * hpBytes);
  const reserveBytes = <usize>directionFloats(
    training ? rnnReserveFloats(mode, B, T, H) : rnnInferenceFloats(mode, B, I, H), D,
  ) << 2;
  const stateBytes = <usize>(B * H) << 2;
  for (let d = 0; d < D; d++) {
    const args = rnnArgs(
      mode, B, T, I, H, lengths, reverse != (d == 1), reserve + <usize>d * reserveBytes, d, D,
    );
    const wih = packedWih + <usize>d * wihBytes;
    const whh = packedWhh + <usize>d * whhBytes;
    packBAll(wIh + (<usize>(d * GH * I) << 2), 1, I, I, GH, wih);
    packBAll(wHh + (<usize>(d * GH * H) << 2), 1, H, H, GH, whh);
    setArg(args, R_PACKED_WIH, <i32>wih);
    setArg(args, R_PACKED_WHH, <i32>whh);
    setArg(args, F_X, <i32>x);
    setArg(args, F_BIH, <i32>(bIh + (<usize>(d * GH) << 2)));
    setArg(args, F_BHH, <i32>(bHh + (<usize>(d * GH) << 2)));
    setArg(args, F_H0, <i32>(h0 + <usize>d * stateBytes));
    setArg(args, F_C0, c0 != 0 ? <i32>(c0 + <usize>d * stateBytes) : 0);
    setArg(args, F_Y, <i32>(y + (<usize>(d * H) << 2)));
    setArg(args, F_HN, <i32>(hN + <usize>d * stateBytes));
    setArg(args, F_CN, cN != 0 ? <i32>(cN + <usize>d * stateBytes) : 0);
    setArg(args, F_HP, <i32>(hp + <usize>d * hpBytes));
    if (!training) {
      setArg(args, F_KEEP, 0);
      foldBiases(mode, GH, bIh + (<usize>(d * GH) << 2), bHh + (<usize>(d * GH) << 2),
        inferenceBias(args));
    }
  }
  runDirections(TASK_RNN_FORWARD, D);
}

/** Runs batch rows [part * rows, ...) of one direction of a forward task through every step. */
export function forwardPart(args0: usize, index: i32, thread: i32): void {
  const args = partArgs(args0, index);
  const part = partOfDirection(args0, index);
  if (arg(args, C_SEGMENT) != 0) {
    checkpointForwardPart(args, part, thread);
    return;
  }
  const mode = arg(args, R_MODE);
  const B = arg(args, R_B);
  const T = arg(args, R_T);
  const I = arg(args, R_I);
  const H = arg(args, R_H);
  const GH = gatesOf(mode) * H;
  const yWidth = arg(args, R_DIRS) * H;
  const b0 = part * arg(args, R_ROWS);
  const Bs = min(B, b0 + arg(args, R_ROWS)) - b0;
  const r0 = b0 * T;
  if (arg(args, F_KEEP) == 0) {
    inferRows(
      mode, Bs, T, I, H,
      rowsAt(args, F_X, r0, I), <usize>arg(args, F_BHH), inferenceBias(args),
      rowsAt(args, F_H0, b0, H), optionalRowsAt(args, F_C0, b0, H),
      optionalRowsAt(args, R_LENGTHS, b0, 1), arg(args, R_REVERSE) != 0,
      rowsAt(args, F_Y, r0, yWidth), yWidth, rowsAt(args, F_HN, b0, H), rowsAt(args, F_CN, b0, H),
      rowsAt(args, R_GATES, b0, GH), <usize>arg(args, R_GATES) + (<usize>(B * GH + b0 * I) << 2),
      <usize>arg(args, R_PACKED_WIH), <usize>arg(args, R_PACKED_WHH),
      rowsAt(args, F_HP, b0, GH), threadScratch(thread),
    );
    return;
  }
  forwardRows(
    mode, Bs, T, I, H,
    rowsAt(args, F_X, r0, I), <usize>arg(args, F_BIH), <usize>arg(args, F_BHH),
    rowsAt(args, F_H0, b0, H), optionalRowsAt(args, F_C0, b0, H),
    optionalRowsAt(args, R_LENGTHS, b0, 1), arg(args, R_REVERSE) != 0,
    rowsAt(args, F_Y, r0, yWidth), yWidth, rowsAt(args, F_HN, b0, H), rowsAt(args, F_CN, b0, H),
    rowsAt(args, R_GATES, r0, GH), rowsAt(args, R_EXTRA, r0, H),
    rowsAt(args, R_HPREV, r0, H), rowsAt(args, R_CPREV, r0, H),
    <usize>arg(args, R_PACKED_WIH), <usize>arg(args, R_PACKED_WHH),
    rowsAt(args, F_HP, b0, GH), threadScratch(thread),
  );
}

/** The bias row of an inference call's work area (rnnInferenceFloats: after [B, GH] and [B, I]). */
function inferenceBias(args: usize): usize {
  const B = arg(args, R_B);
  const GH = gatesOf(arg(args, R_MODE)) * arg(args, R_H);
  return <usize>arg(args, R_GATES) + (<usize>(B * GH + B * arg(args, R_I)) << 2);
}

/** The row gate projections start from: b_ih + b_hh, or b_ih alone for GRU (its n gate needs b_hn apart). */
function foldBiases(mode: i32, GH: i32, bIh: usize, bHh: usize, out: usize): void {
  for (let j = 0; j < GH; j++) {
    const p = <usize>j << 2;
    let v = load<f32>(bIh + p);
    if (mode != MODE_GRU) v += load<f32>(bHh + p);
    store<f32>(out + p, v);
  }
}

/**
 * Inference over B batch rows: per step, the rows' inputs are gathered into `xs` [B, I], their
 * gate rows `gs` [B, G*H] start as `bias` and receive the input projection (the same sums, in
 * the same order, as the training path's all-steps product), then the hidden product and the
 * cell epilogue run as in {@link forwardRows}, writing only h, c and y.
 */
function inferRows(
  mode: i32, B: i32, T: i32, I: i32, H: i32,
  x: usize, bHh: usize, bias: usize, h0: usize, c0: usize, lengths: usize, reverse: bool,
  y: usize, yWidth: i32, hN: usize, cN: usize, gs: usize, xs: usize,
  packedWih: usize, packedWhh: usize, hp: usize, pa: usize,
): void {
  const GH = gatesOf(mode) * H;
  const rowBytes = <usize>GH << 2;
  const xBytes = <usize>I << 2;
  const yRowBytes = <usize>yWidth << 2;
  startState(mode, B, T, H, h0, c0, lengths, y, yWidth, hN, cN);
  if (T == 0 || H == 0) return;
  for (let s = 0; s < T; s++) {
    for (let b = 0; b < B; b++) {
      const t = stepAt(lengths, b, T, s, reverse);
      const xb = xs + <usize>b * xBytes;
      if (t >= 0) memory.copy(xb, x + <usize>(b * T + t) * xBytes, xBytes);
      else memory.fill(xb, 0, xBytes);
      memory.copy(gs + <usize>b * rowBytes, bias, rowBytes);
    }
    gemmPacked(B, GH, I, xs, I, 1, packedWih, gs, GH, true, pa);
    gemmPacked(B, GH, H, hN, H, 1, packedWhh, hp, GH, false, pa);
    for (let b = 0; b < B; b++) {
      const t = stepAt(lengths, b, T, s, reverse);
      if (t < 0) continue;
      rowInferAny(
        mode, H, gs + <usize>b * rowBytes, hp + <usize>b * rowBytes, bHh,
        hN + (<usize>(b * H) << 2), cN + (<usize>(b * H) << 2),
        y + <usize>(b * T + t) * yRowBytes,
      );
    }
  }
}

/**
 * h and c start as h0 and c0 (c0 absent: zeros); the rows of y at padded steps are zeroed (every
 * other row is written by its step).
 */
function startState(
  mode: i32, B: i32, T: i32, H: i32, h0: usize, c0: usize, lengths: usize,
  y: usize, yWidth: i32, hN: usize, cN: usize,
): void {
  const hBytes = <usize>H << 2;
  const yRowBytes = <usize>yWidth << 2;
  memory.copy(hN, h0, <usize>(B * H) << 2);
  if (mode == MODE_LSTM) {
    if (c0 != 0) memory.copy(cN, c0, <usize>(B * H) << 2);
    else memory.fill(cN, 0, <usize>(B * H) << 2);
  }
  if (lengths == 0) return;
  for (let b = 0; b < B; b++) {
    for (let t = lengthOf(lengths, b, T); t < T; t++) {
      memory.fill(y + <usize>(b * T + t) * yRowBytes, 0, hBytes);
    }
  }
}

/**
 * The forward pass of B batch rows whose reserve blocks start at gates, extra, hprev and cprev;
 * their outputs go to y, whose rows are `yWidth` floats apart; `hp` holds [B, G*H] floats, `pa`
 * is the thread's packing buffer.
 */
function forwardRows(
  mode: i32, B: i32, T: i32, I: i32, H: i32,
  x: usize, bIh: usize, bHh: usize, h0: usize, c0: usize, lengths: usize, reverse: bool,
  y: usize, yWidth: i32, hN: usize, cN: usize,
  gates: usize, extra: usize, hprev: usize, cprev: usize,
  packedWih: usize, packedWhh: usize, hp: usize, pa: usize,
): void {
  const G = gatesOf(mode);
  const GH = G * H;
  const N = B * T;
  const rowBytes = <usize>GH << 2;
  const hBytes = <usize>H << 2;
  const yRowBytes = <usize>yWidth << 2;

  startState(mode, B, T, H, h0, c0, lengths, y, yWidth, hN, cN);
  if (N == 0 || H == 0) return;
  if (lengths != 0) memory.fill(hprev, 0, <usize>(N * H) << 2);
  if (lengths != 0 && mode == MODE_LSTM) memory.fill(cprev, 0, <usize>(N * H) << 2);

  // Gate rows start as the biases (b_hh folded in, except for GRU whose n gate needs it apart).
  foldBiases(mode, GH, bIh, bHh, gates);
  for (let r = 1; r < N; r++) memory.copy(gates + <usize>r * rowBytes, gates, rowBytes);
  // Input projection of every step at once: gates += X W_ih^T.
  gemmPacked(N, GH, I, x, I, 1, packedWih, gates, GH, true, pa);

  for (let s = 0; s < T; s++) {
    gemmPacked(B, GH, H, hN, H, 1, packedWhh, hp, GH, false, pa);
    for (let b = 0; b < B; b++) {
      const t = stepAt(lengths, b, T, s, reverse);
      if (t < 0) continue;
      const row = b * T + t;
      const hb = hN + (<usize>(b * H) << 2);
      const cb = cN + (<usize>(b * H) << 2);
      memory.copy(hprev + <usize>row * hBytes, hb, hBytes);
      if (mode == MODE_LSTM) memory.copy(cprev + <usize>row * hBytes, cb, hBytes);
      rowForwardAny(
        mode, H,
        gates + <usize>row * rowBytes,
        hp + <usize>b * rowBytes,
        bHh, hb, cb,
        y + <usize>row * yRowBytes,
        extra + <usize>row * hBytes,
      );
    }
  }
}
