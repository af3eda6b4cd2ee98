// Fused recurrent layers (one layer, one direction, a whole batch-first sequence per call).
//
// Forward: the input projection of every step is one [B*T, I] x W_ih^T product written straight
// into the reserve's gate block (pre-filled with the biases); then each step runs the
// [B, H] x W_hh^T product against W_hh packed once per call, followed by the cell epilogue,
// which adds the projections, applies the gate non-linearities, updates h (and c) in place and
// overwrites the gate block with the activations the backward pass needs.
//
// Reserve layout in floats, N = B*T rows in (b, t) order, G gates:
//   gates [N, G*H] activations (LSTM i,f,g,o; GRU r,z,n; RNN h)
//   extra [N, H]   LSTM tanh(c_t), GRU W_hn h_{t-1} + b_hn (absent for RNN_TANH/RNN_RELU)
//   hprev [N, H]   the state each step read (rows of padded steps stay zero)
//   cprev [N, H]   LSTM only: the cell state each step read
//
// Backward: steps are replayed in reverse order; each produces the pre-activation gate
// gradients of its rows (dGx for the input projection, dGh for the recurrent one; they differ
// only for GRU's n gate) and one [B, G*H] x W_hh product for the state gradient. The weight
// gradients are then three large products over all steps at once.
import { gemmPacked, packBAll, packedBBytes } from './gemm';
import { arg, columnSums, gemmParallel, partsOf, rowsPerPart, RNN_MIN_ROWS, RNN_MIN_WORK, setArg, taskArgs, TASK_RNN_BACKWARD, TASK_RNN_FORWARD } from './parallel';
import { runParallel, threadScratch } from './threads';
import { scratch } from './memory';
import { sigmoidV, tanhV } from './math';

// @ts-ignore: decorator
@inline const RNN_TANH = 0;
// @ts-ignore: decorator
@inline const RNN_RELU = 1;
// @ts-ignore: decorator
@inline const LSTM = 2;
// @ts-ignore: decorator
@inline const GRU = 3;

function gatesOf(mode: i32): i32 {
  return mode == LSTM ? 4 : mode == GRU ? 3 : 1;
}

function extraBlocks(mode: i32): i32 {
  return mode == LSTM ? 2 : mode == GRU ? 1 : 0;
}

/** Floats in the reserve of one call. */
export function rnnReserveFloats(mode: i32, B: i32, T: i32, H: i32): i32 {
  return B * T * H * (gatesOf(mode) + extraBlocks(mode) + 1);
}

/** Floats of work memory the backward pass needs. */
export function rnnBackwardWorkFloats(mode: i32, B: i32, T: i32, H: i32): i32 {
  const GH = gatesOf(mode) * H;
  return B * T * GH * (mode == GRU ? 2 : 1) + B * GH + B * H;
}

// @ts-ignore: decorator
@inline function ldv(p: usize, vec: bool): v128 {
  return vec ? v128.load(p) : v128.load32_splat(p);
}

// @ts-ignore: decorator
@inline function stv(p: usize, v: v128, vec: bool): void {
  if (vec) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

/** Forward cell math for hidden units [j, j+4) (or j alone when !vec) of one row. */
// @ts-ignore: decorator
@inline function cellForward(
  mode: i32, vec: bool, j: i32, H: i32,
  g: usize, hp: usize, bhh: usize, h: usize, c: usize, y: usize, extra: usize,
): void {
  const o = <usize>j << 2;
  const blk = <usize>H << 2;
  const one = f32x4.splat(1.0);
  if (mode == LSTM) {
    const i = sigmoidV(f32x4.add(ldv(g + o, vec), ldv(hp + o, vec)));
    const f = sigmoidV(f32x4.add(ldv(g + blk + o, vec), ldv(hp + blk + o, vec)));
    const gg = tanhV(f32x4.add(ldv(g + 2 * blk + o, vec), ldv(hp + 2 * blk + o, vec)));
    const og = sigmoidV(f32x4.add(ldv(g + 3 * blk + o, vec), ldv(hp + 3 * blk + o, vec)));
    const cn = f32x4.add(f32x4.mul(f, ldv(c + o, vec)), f32x4.mul(i, gg));
    const tc = tanhV(cn);
    const hn = f32x4.mul(og, tc);
    stv(g + o, i, vec);
    stv(g + blk + o, f, vec);
    stv(g + 2 * blk + o, gg, vec);
    stv(g + 3 * blk + o, og, vec);
    stv(extra + o, tc, vec);
    stv(c + o, cn, vec);
    stv(h + o, hn, vec);
    stv(y + o, hn, vec);
  } else if (mode == GRU) {
    const r = sigmoidV(f32x4.add(f32x4.add(ldv(g + o, vec), ldv(hp + o, vec)), ldv(bhh + o, vec)));
    const z = sigmoidV(
      f32x4.add(f32x4.add(ldv(g + blk + o, vec), ldv(hp + blk + o, vec)), ldv(bhh + blk + o, vec)),
    );
    const hn = f32x4.add(ldv(hp + 2 * blk + o, vec), ldv(bhh + 2 * blk + o, vec));
    const n = tanhV(f32x4.add(ldv(g + 2 * blk + o, vec), f32x4.mul(r, hn)));
    const hOld = ldv(h + o, vec);
    const hNew = f32x4.add(f32x4.mul(f32x4.sub(one, z), n), f32x4.mul(z, hOld));
    stv(g + o, r, vec);
    stv(g + blk + o, z, vec);
    stv(g + 2 * blk + o, n, vec);
    stv(extra + o, hn, vec);
    stv(h + o, hNew, vec);
    stv(y + o, hNew, vec);
  } else {
    const pre = f32x4.add(ldv(g + o, vec), ldv(hp + o, vec));
    const a = mode == RNN_TANH ? tanhV(pre) : f32x4.max(pre, f32x4.splat(0));
    stv(g + o, a, vec);
    stv(h + o, a, vec);
    stv(y + o, a, vec);
  }
}

// @ts-ignore: decorator
@inline function rowForward(
  mode: i32, H: i32, g: usize, hp: usize, bhh: usize, h: usize, c: usize, y: usize, extra: usize,
): void {
  let j = 0;
  for (; j + 4 <= H; j += 4) cellForward(mode, true, j, H, g, hp, bhh, h, c, y, extra);
  for (; j < H; j++) cellForward(mode, false, j, H, g, hp, bhh, h, c, y, extra);
}

function rowForwardAny(
  mode: i32, H: i32, g: usize, hp: usize, bhh: usize, h: usize, c: usize, y: usize, extra: usize,
): void {
  switch (mode) {
    case LSTM: rowForward(LSTM, H, g, hp, bhh, h, c, y, extra); break;
    case GRU: rowForward(GRU, H, g, hp, bhh, h, c, y, extra); break;
    case RNN_TANH: rowForward(RNN_TANH, H, g, hp, bhh, h, c, y, extra); break;
    default: rowForward(RNN_RELU, H, g, hp, bhh, h, c, y, extra); break;
  }
}

// @ts-ignore: decorator
@inline function lengthOf(lengths: usize, b: i32, T: i32): i32 {
  return lengths != 0 ? load<i32>(lengths + (<usize>b << 2)) : T;
}

// Argument words of the forward and backward tasks (parallel.ts): the sizes, then addresses.
const R_MODE = 0; const R_B = 1; const R_T = 2; const R_I = 3; const R_H = 4; const R_ROWS = 5;
const R_REVERSE = 6; const R_LENGTHS = 7; const R_GATES = 8; const R_EXTRA = 9; const R_HPREV = 10;
const R_CPREV = 11; const R_PACKED_WHH = 12; const R_PACKED_WIH = 13;
// forward only
const F_X = 14; const F_BIH = 15; const F_BHH = 16; const F_H0 = 17; const F_C0 = 18; const F_Y = 19;
const F_HN = 20; const F_CN = 21; const F_HP = 22;
// backward only
const K_DY = 14; const K_DHN = 15; const K_DCN = 16; const K_DX = 17; const K_DH0 = 18;
const K_DC0 = 19; const K_DGX = 20; const K_DGH = 21; const K_DGS = 22; const K_DHNEW = 23;

/** Writes the arguments both directions share and returns the block. */
function rnnArgs(
  mode: i32, B: i32, T: i32, I: i32, H: i32, lengths: usize, reverse: bool, reserve: usize,
): usize {
  const GH = gatesOf(mode) * H;
  const N = B * T;
  const gates = reserve;
  const extra = gates + (<usize>(N * GH) << 2);
  const hprev = extra + (<usize>(N * H * (extraBlocks(mode) > 0 ? 1 : 0)) << 2);
  const args = taskArgs();
  setArg(args, R_MODE, mode);
  setArg(args, R_B, B);
  setArg(args, R_T, T);
  setArg(args, R_I, I);
  setArg(args, R_H, H);
  setArg(args, R_ROWS, rowsPerPart(B, <i64>N * <i64>GH * <i64>(I + H), RNN_MIN_WORK, RNN_MIN_ROWS, 1));
  setArg(args, R_REVERSE, reverse ? 1 : 0);
  setArg(args, R_LENGTHS, <i32>lengths);
  setArg(args, R_GATES, <i32>gates);
  setArg(args, R_EXTRA, <i32>extra);
  setArg(args, R_HPREV, <i32>hprev);
  setArg(args, R_CPREV, <i32>(hprev + (<usize>(N * H) << 2)));
  return args;
}

/** Address word `i` of `args` advanced by `row` rows of `width` floats. */
// @ts-ignore: decorator
@inline function rowsAt(args: usize, i: i32, row: i32, width: i32): usize {
  return <usize>arg(args, i) + (<usize>row * <usize>width << 2);
}

/**
 * Forward pass. Inputs: x [B,T,I], wIh [G*H,I], wHh [G*H,H], bIh, bHh [G*H], h0, c0 [B,H]
 * (c0 = 0 pointer when not LSTM), lengths int32 [B] or 0. Outputs: y [B,T,H], hN, cN [B,H]
 * (used as the running state) and `reserve` of {@link rnnReserveFloats} floats.
 *
 * Every batch row is independent, so the batch is cut into parts (parallel.ts decides how many)
 * that the threads run through all T steps; W_ih^T and W_hh^T are packed once here and shared.
 */
export function rnnForward(
  mode: i32, B: i32, T: i32, I: i32, H: i32,
  x: usize, wIh: usize, wHh: usize, bIh: usize, bHh: usize, h0: usize, c0: usize,
  lengths: usize, reverse: bool,
  y: usize, hN: usize, cN: usize, reserve: usize,
): void {
  if (B == 0) return;
  const GH = gatesOf(mode) * H;
  const args = rnnArgs(mode, B, T, I, H, lengths, reverse, reserve);
  // W_ih^T and W_hh^T packed once for the whole sequence; scratch slot 0 belongs to the calling
  // thread's packing, 1 to 3 to us.
  const packedWih = scratch(1, packedBBytes(I, GH));
  packBAll(wIh, 1, I, I, GH, packedWih);
  const packedWhh = scratch(2, packedBBytes(H, GH));
  packBAll(wHh, 1, H, H, GH, packedWhh);
  setArg(args, R_PACKED_WIH, <i32>packedWih);
  setArg(args, R_PACKED_WHH, <i32>packedWhh);
  setArg(args, F_X, <i32>x);
  setArg(args, F_BIH, <i32>bIh);
  setArg(args, F_BHH, <i32>bHh);
  setArg(args, F_H0, <i32>h0);
  setArg(args, F_C0, <i32>c0);
  setArg(args, F_Y, <i32>y);
  setArg(args, F_HN, <i32>hN);
  setArg(args, F_CN, <i32>cN);
  setArg(args, F_HP, <i32>scratch(3, <usize>(B * GH) << 2));
  runParallel(TASK_RNN_FORWARD, args, partsOf(B, arg(args, R_ROWS)));
}

/** Runs batch rows [part * rows, ...) of a forward task through every step. */
export function forwardPart(args: usize, part: i32, thread: i32): void {
  const mode = arg(args, R_MODE);
  const B = arg(args, R_B);
  const T = arg(args, R_T);
  const I = arg(args, R_I);
  const H = arg(args, R_H);
  const GH = gatesOf(mode) * H;
  const b0 = part * arg(args, R_ROWS);
  const Bs = min(B, b0 + arg(args, R_ROWS)) - b0;
  const r0 = b0 * T;
  const c0 = <usize>arg(args, F_C0);
  const lengths = <usize>arg(args, R_LENGTHS);
  forwardRows(
    mode, Bs, T, I, H,
    rowsAt(args, F_X, r0, I), rowsAt(args, F_BIH, 0, 0), rowsAt(args, F_BHH, 0, 0),
    rowsAt(args, F_H0, b0, H), c0 != 0 ? c0 + (<usize>(b0 * H) << 2) : 0,
    lengths != 0 ? lengths + (<usize>b0 << 2) : 0, arg(args, R_REVERSE) != 0,
    rowsAt(args, F_Y, r0, H), rowsAt(args, F_HN, b0, H), rowsAt(args, F_CN, b0, H),
    rowsAt(args, R_GATES, r0, GH), rowsAt(args, R_EXTRA, r0, H),
    rowsAt(args, R_HPREV, r0, H), rowsAt(args, R_CPREV, r0, H),
    <usize>arg(args, R_PACKED_WIH), <usize>arg(args, R_PACKED_WHH),
    rowsAt(args, F_HP, b0, GH), threadScratch(thread),
  );
}

/**
 * The forward pass of B batch rows whose reserve blocks start at gates, extra, hprev and cprev;
 * `hp` holds [B, G*H] floats, `pa` is the thread's packing buffer.
 */
function forwardRows(
  mode: i32, B: i32, T: i32, I: i32, H: i32,
  x: usize, bIh: usize, bHh: usize, h0: usize, c0: usize, lengths: usize, reverse: bool,
  y: usize, hN: usize, cN: usize,
  gates: usize, extra: usize, hprev: usize, cprev: usize,
  packedWih: usize, packedWhh: usize, hp: usize, pa: usize,
): void {
  const G = gatesOf(mode);
  const GH = G * H;
  const N = B * T;
  const rowBytes = <usize>GH << 2;
  const hBytes = <usize>H << 2;

  memory.copy(hN, h0, <usize>(B * H) << 2);
  if (mode == LSTM) {
    if (c0 != 0) memory.copy(cN, c0, <usize>(B * H) << 2);
    else memory.fill(cN, 0, <usize>(B * H) << 2);
  }
  memory.fill(y, 0, <usize>(N * H) << 2);
  if (N == 0 || H == 0) return;
  if (lengths != 0) memory.fill(hprev, 0, <usize>(N * H) << 2);
  if (lengths != 0 && mode == LSTM) memory.fill(cprev, 0, <usize>(N * H) << 2);

  // Gate rows start as the biases (b_hh folded in, except for GRU whose n gate needs it apart).
  for (let j = 0; j < GH; j++) {
    const p = <usize>j << 2;
    let v = load<f32>(bIh + p);
    if (mode != GRU) v += load<f32>(bHh + p);
    store<f32>(gates + p, v);
  }
  for (let r = 1; r < N; r++) memory.copy(gates + <usize>r * rowBytes, gates, rowBytes);
  // Input projection of every step at once: gates += X W_ih^T.
  gemmPacked(N, GH, I, x, I, 1, packedWih, gates, GH, true, pa);

  for (let s = 0; s < T; s++) {
    gemmPacked(B, GH, H, hN, H, 1, packedWhh, hp, GH, false, pa);
    for (let b = 0; b < B; b++) {
      const len = lengthOf(lengths, b, T);
      if (s >= len) continue;
      const t = reverse ? len - 1 - s : s;
      const row = b * T + t;
      const hb = hN + (<usize>(b * H) << 2);
      const cb = cN + (<usize>(b * H) << 2);
      memory.copy(hprev + <usize>row * hBytes, hb, hBytes);
      if (mode == LSTM) memory.copy(cprev + <usize>row * hBytes, cb, hBytes);
      rowForwardAny(
        mode, H,
        gates + <usize>row * rowBytes,
        hp + <usize>b * rowBytes,
        bHh, hb, cb,
        y + <usize>row * hBytes,
        extra + <usize>row * hBytes,
      );
    }
  }
}

/**
 * Backward cell math for units [j, j+4) (or j alone) of one row: writes the pre-activation
 * gradients dgx (and dgh, which for GRU differs in the n block) and the direct part of the
 * state gradient `dhn`, and updates dc in place (LSTM).
 */
// @ts-ignore: decorator
@inline function cellBackward(
  mode: i32, vec: bool, j: i32, H: i32,
  g: usize, extra: usize, hprev: usize, cprev: usize,
  dh: usize, dy: usize, dc: usize, dgx: usize, dgh: usize, dhn: usize,
): void {
  const o = <usize>j << 2;
  const blk = <usize>H << 2;
  const one = f32x4.splat(1.0);
  const dht = f32x4.add(ldv(dh + o, vec), ldv(dy + o, vec));
  if (mode == LSTM) {
    const i = ldv(g + o, vec);
    const f = ldv(g + blk + o, vec);
    const gg = ldv(g + 2 * blk + o, vec);
    const og = ldv(g + 3 * blk + o, vec);
    const tc = ldv(extra + o, vec);
    const dct = f32x4.add(
      ldv(dc + o, vec),
      f32x4.mul(f32x4.mul(dht, og), f32x4.sub(one, f32x4.mul(tc, tc))),
    );
    const di = f32x4.mul(f32x4.mul(dct, gg), f32x4.mul(i, f32x4.sub(one, i)));
    const df = f32x4.mul(f32x4.mul(dct, ldv(cprev + o, vec)), f32x4.mul(f, f32x4.sub(one, f)));
    const dg = f32x4.mul(f32x4.mul(dct, i), f32x4.sub(one, f32x4.mul(gg, gg)));
    const dout = f32x4.mul(f32x4.mul(dht, tc), f32x4.mul(og, f32x4.sub(one, og)));
    stv(dgx + o, di, vec);
    stv(dgx + blk + o, df, vec);
    stv(dgx + 2 * blk + o, dg, vec);
    stv(dgx + 3 * blk + o, dout, vec);
    stv(dgh + o, di, vec);
    stv(dgh + blk + o, df, vec);
    stv(dgh + 2 * blk + o, dg, vec);
    stv(dgh + 3 * blk + o, dout, vec);
    stv(dc + o, f32x4.mul(dct, f), vec);
    stv(dhn + o, f32x4.splat(0), vec);
  } else if (mode == GRU) {
    const r = ldv(g + o, vec);
    const z = ldv(g + blk + o, vec);
    const n = ldv(g + 2 * blk + o, vec);
    const hn = ldv(extra + o, vec);
    const hp = ldv(hprev + o, vec);
    const dnp = f32x4.mul(f32x4.mul(dht, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
    const dzp = f32x4.mul(f32x4.mul(dht, f32x4.sub(hp, n)), f32x4.mul(z, f32x4.sub(one, z)));
    const drp = f32x4.mul(f32x4.mul(dnp, hn), f32x4.mul(r, f32x4.sub(one, r)));
    stv(dgx + o, drp, vec);
    stv(dgx + blk + o, dzp, vec);
    stv(dgx + 2 * blk + o, dnp, vec);
    stv(dgh + o, drp, vec);
    stv(dgh + blk + o, dzp, vec);
    stv(dgh + 2 * blk + o, f32x4.mul(dnp, r), vec);
    stv(dhn + o, f32x4.mul(dht, z), vec);
  } else {
    const a = ldv(g + o, vec);
    const d = mode == RNN_TANH
      ? f32x4.mul(dht, f32x4.sub(one, f32x4.mul(a, a)))
      : v128.and(dht, f32x4.gt(a, f32x4.splat(0)));
    stv(dgx + o, d, vec);
    stv(dgh + o, d, vec);
    stv(dhn + o, f32x4.splat(0), vec);
  }
}

// @ts-ignore: decorator
@inline function rowBackward(
  mode: i32, H: i32, g: usize, extra: usize, hprev: usize, cprev: usize,
  dh: usize, dy: usize, dc: usize, dgx: usize, dgh: usize, dhn: usize,
): void {
  let j = 0;
  for (; j + 4 <= H; j += 4) {
    cellBackward(mode, true, j, H, g, extra, hprev, cprev, dh, dy, dc, dgx, dgh, dhn);
  }
  for (; j < H; j++) {
    cellBackward(mode, false, j, H, g, extra, hprev, cprev, dh, dy, dc, dgx, dgh, dhn);
  }
}

function rowBackwardAny(
  mode: i32, H: i32, g: usize, extra: usize, hprev: usize, cprev: usize,
  dh: usize, dy: usize, dc: usize, dgx: usize, dgh: usize, dhn: usize,
): void {
  switch (mode) {
    case LSTM: rowBackward(LSTM, H, g, extra, hprev, cprev, dh, dy, dc, dgx, dgh, dhn); break;
    case GRU: rowBackward(GRU, H, g, extra, hprev, cprev, dh, dy, dc, dgx, dgh, dhn); break;
    case RNN_TANH: rowBackward(RNN_TANH, H, g, extra, hprev, cprev, dh, dy, dc, dgx, dgh, dhn); break;
    default: rowBackward(RNN_RELU, H, g, extra, hprev, cprev, dh, dy, dc, dgx, dgh, dhn); break;
  }
}

/**
 * Backward pass. `dhN`, `dcN` may be 0 (zero gradients); `dc0` is 0 unless LSTM; `work` has
 * {@link rnnBackwardWorkFloats} floats. Outputs dx [B,T,I], dWIh, dWHh, dBIh, dBHh, dh0, dc0.
 *
 * The batch parts of the forward pass replay their steps in reverse independently (and compute
 * their rows of dx); the weight gradients, which sum over every row, are then row-split products
 * over all steps at once.
 */
export function rnnBackward(
  mode: i32, B: i32, T: i32, I: i32, H: i32,
  x: usize, wIh: usize, wHh: usize, lengths: usize, reverse: bool,
  reserve: usize, dy: usize, dhN: usize, dcN: usize,
  dx: usize, dWIh: usize, dWHh: usize, dBIh: usize, dBHh: usize, dh0: usize, dc0: usize,
  work: usize,
): void {
  const GH = gatesOf(mode) * H;
  const N = B * T;
  const args = rnnArgs(mode, B, T, I, H, lengths, reverse, reserve);
  const hprev = <usize>arg(args, R_HPREV);
  const dgx = work;
  const dgh = mode == GRU ? dgx + (<usize>(N * GH) << 2) : dgx;
  const dgs = dgh + (<usize>(N * GH) << 2);
  // W_hh as the right operand of dGs [B, GH] x W_hh [GH, H], W_ih of dGx [N, GH] x W_ih [GH, I].
  const packedWhh = scratch(2, packedBBytes(GH, H));
  packBAll(wHh, H, 1, GH, H, packedWhh);
  const packedWih = scratch(1, packedBBytes(GH, I));
  packBAll(wIh, I, 1, GH, I, packedWih);
  setArg(args, R_PACKED_WHH, <i32>packedWhh);
  setArg(args, R_PACKED_WIH, <i32>packedWih);
  setArg(args, K_DY, <i32>dy);
  setArg(args, K_DHN, <i32>dhN);
  setArg(args, K_DCN, <i32>dcN);
  setArg(args, K_DX, <i32>dx);
  setArg(args, K_DH0, <i32>dh0);
  setArg(args, K_DC0, <i32>dc0);
  setArg(args, K_DGX, <i32>dgx);
  setArg(args, K_DGH, <i32>dgh);
  setArg(args, K_DGS, <i32>dgs);
  setArg(args, K_DHNEW, <i32>(dgs + (<usize>(B * GH) << 2)));
  if (B > 0) runParallel(TASK_RNN_BACKWARD, args, partsOf(B, arg(args, R_ROWS)));

  // The weight gradients: products over all steps at once, and column sums.
  gemmParallel(GH, I, N, dgx, 1, GH, x, I, 1, dWIh, I, false);
  gemmParallel(GH, H, N, dgh, 1, GH, hprev, H, 1, dWHh, H, false);
  columnSums(dgx, N, GH, dBIh);
  columnSums(dgh, N, GH, dBHh);
}

/** Runs batch rows [part * rows, ...) of a backward task through every step, and their dx. */
export function backwardPart(args: usize, part: i32, thread: i32): void {
  const mode = arg(args, R_MODE);
  const B = arg(args, R_B);
  const T = arg(args, R_T);
  const I = arg(args, R_I);
  const H = arg(args, R_H);
  const GH = gatesOf(mode) * H;
  const b0 = part * arg(args, R_ROWS);
  const Bs = min(B, b0 + arg(args, R_ROWS)) - b0;
  const r0 = b0 * T;
  const lengths = <usize>arg(args, R_LENGTHS);
  const dhN = <usize>arg(args, K_DHN);
  const dcN = <usize>arg(args, K_DCN);
  const dc0 = <usize>arg(args, K_DC0);
  const pa = threadScratch(thread);
  const dgx = rowsAt(args, K_DGX, r0, GH);
  backwardRows(
    mode, Bs, T, H,
    lengths != 0 ? lengths + (<usize>b0 << 2) : 0, arg(args, R_REVERSE) != 0,
    rowsAt(args, R_GATES, r0, GH), rowsAt(args, R_EXTRA, r0, H),
    rowsAt(args, R_HPREV, r0, H), rowsAt(args, R_CPREV, r0, H),
    rowsAt(args, K_DY, r0, H),
    dhN != 0 ? dhN + (<usize>(b0 * H) << 2) : 0, dcN != 0 ? dcN + (<usize>(b0 * H) << 2) : 0,
    rowsAt(args, K_DH0, b0, H), dc0 != 0 ? dc0 + (<usize>(b0 * H) << 2) : 0,
    dgx, rowsAt(args, K_DGH, r0, GH), rowsAt(args, K_DGS, b0, GH), rowsAt(args, K_DHNEW, b0, H),
    <usize>arg(args, R_PACKED_WHH), pa,
  );
  // This part's rows of dx = dG W_ih.
  gemmPacked(
    Bs * T, I, GH, dgx, GH, 1, <usize>arg(args, R_PACKED_WIH),
    rowsAt(args, K_DX, r0, I), I, false, pa,
  );
}

/**
 * Replays the steps of B batch rows in reverse: writes their pre-activation gate gradients
 * (dgx, dgh) and the state gradients dh0 (and dc0); `dgs` [B, G*H] and `dhNew` [B, H] are work.
 */
function backwardRows(
  mode: i32, B: i32, T: i32, H: i32, lengths: usize, reverse: bool,
  gates: usize, extra: usize, hprev: usize, cprev: usize,
  dy: usize, dhN: usize, dcN: usize, dh0: usize, dc0: usize,
  dgx: usize, dgh: usize, dgs: usize, dhNew: usize, packedWhh: usize, pa: usize,
): void {
  const G = gatesOf(mode);
  const GH = G * H;
  const N = B * T;
  const rowBytes = <usize>GH << 2;
  const hBytes = <usize>H << 2;
  const stateBytes = <usize>(B * H) << 2;
  let dh = dh0;

  if (dhN != 0) memory.copy(dh, dhN, stateBytes);
  else memory.fill(dh, 0, stateBytes);
  if (mode == LSTM) {
    if (dcN != 0) memory.copy(dc0, dcN, stateBytes);
    else memory.fill(dc0, 0, stateBytes);
  }
  memory.fill(dgx, 0, <usize>(N * GH) << 2);
  if (mode == GRU) memory.fill(dgh, 0, <usize>(N * GH) << 2);

  if (H > 0 && N > 0) {
    for (let s = T - 1; s >= 0; s--) {
      memory.fill(dgs, 0, <usize>(B * GH) << 2);
      for (let b = 0; b < B; b++) {
        const len = lengthOf(lengths, b, T);
        const dhb = dh + (<usize>(b * H) << 2);
        const dhnb = dhNew + (<usize>(b * H) << 2);
        if (s >= len) {
          memory.copy(dhnb, dhb, hBytes);
          continue;
        }
        const t = reverse ? len - 1 - s : s;
        const row = b * T + t;
        const hrow = <usize>row * hBytes;
        rowBackwardAny(
          mode, H,
          gates + <usize>row * rowBytes,
          extra + hrow, hprev + hrow, cprev + hrow,
          dhb, dy + hrow, dc0 + (<usize>(b * H) << 2),
          dgx + <usize>row * rowBytes, dgh + <usize>row * rowBytes, dhnb,
        );
        memory.copy(dgs + <usize>b * rowBytes, dgh + <usize>row * rowBytes, rowBytes);
      }
      gemmPacked(B, H, GH, dgs, GH, 1, packedWhh, dhNew, H, true, pa);
      const tmp = dh;
      dh = dhNew;
      dhNew = tmp;
    }
  }
  if (dh != dh0) memory.copy(dh0, dh, stateBytes);
}
