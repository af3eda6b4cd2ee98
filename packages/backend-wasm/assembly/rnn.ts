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
import { gemm, gemmPacked, packBAll, packedBBytes, KC, MC } from './gemm';
import { scratch } from './memory';
import { sigmoidV, tanhV } from './math';
import { reduceMiddle } from './reduce';

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

/**
 * Forward pass. Inputs: x [B,T,I], wIh [G*H,I], wHh [G*H,H], bIh, bHh [G*H], h0, c0 [B,H]
 * (c0 = 0 pointer when not LSTM), lengths int32 [B] or 0. Outputs: y [B,T,H], hN, cN [B,H]
 * (used as the running state) and `reserve` of {@link rnnReserveFloats} floats.
 */
export function rnnForward(
  mode: i32, B: i32, T: i32, I: i32, H: i32,
  x: usize, wIh: usize, wHh: usize, bIh: usize, bHh: usize, h0: usize, c0: usize,
  lengths: usize, reverse: bool,
  y: usize, hN: usize, cN: usize, reserve: usize,
): void {
  const G = gatesOf(mode);
  const GH = G * H;
  const N = B * T;
  const gates = reserve;
  const extra = gates + (<usize>(N * GH) << 2);
  const hprev = extra + (<usize>(N * H * (extraBlocks(mode) > 0 ? 1 : 0)) << 2);
  const cprev = hprev + (<usize>(N * H) << 2);
  const rowBytes = <usize>GH << 2;
  const hBytes = <usize>H << 2;

  memory.copy(hN, h0, <usize>(B * H) << 2);
  if (mode == LSTM) {
    if (c0 != 0) memory.copy(cN, c0, <usize>(B * H) << 2);
    else memory.fill(cN, 0, <usize>(B * H) << 2);
  }
  memory.fill(y, 0, <usize>(N * H) << 2);
  if (N == 0 || H == 0) return;
  if (lengths != 0) memory.fill(hprev, 0, <usize>(N * H * (mode == LSTM ? 2 : 1)) << 2);

  // Gate rows start as the biases (b_hh folded in, except for GRU whose n gate needs it apart).
  for (let j = 0; j < GH; j++) {
    const p = <usize>j << 2;
    let v = load<f32>(bIh + p);
    if (mode != GRU) v += load<f32>(bHh + p);
    store<f32>(gates + p, v);
  }
  for (let r = 1; r < N; r++) memory.copy(gates + <usize>r * rowBytes, gates, rowBytes);
  // Input projection of every step at once: gates += X W_ih^T.
  gemm(N, GH, I, x, I, 1, wIh, 1, I, gates, GH, true);

  // W_hh^T packed once for the whole sequence; scratch slot 0/1 belong to gemm, 2 and 3 to us.
  const packed = scratch(2, packedBBytes(H, GH));
  packBAll(wHh, 1, H, H, GH, packed);
  const hp = scratch(3, <usize>(B * GH) << 2);
  const pa = scratch(0, <usize>(min(B + 3, MC) * min(H, KC)) << 2);

  for (let s = 0; s < T; s++) {
    gemmPacked(B, GH, H, hN, H, 1, packed, hp, GH, false, pa);
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
 */
export function rnnBackward(
  mode: i32, B: i32, T: i32, I: i32, H: i32,
  x: usize, wIh: usize, wHh: usize, lengths: usize, reverse: bool,
  reserve: usize, dy: usize, dhN: usize, dcN: usize,
  dx: usize, dWIh: usize, dWHh: usize, dBIh: usize, dBHh: usize, dh0: usize, dc0: usize,
  work: usize,
): void {
  const G = gatesOf(mode);
  const GH = G * H;
  const N = B * T;
  const gates = reserve;
  const extra = gates + (<usize>(N * GH) << 2);
  const hprev = extra + (<usize>(N * H * (extraBlocks(mode) > 0 ? 1 : 0)) << 2);
  const cprev = hprev + (<usize>(N * H) << 2);
  const rowBytes = <usize>GH << 2;
  const hBytes = <usize>H << 2;
  const stateBytes = <usize>(B * H) << 2;

  const dgx = work;
  const dgh = mode == GRU ? dgx + (<usize>(N * GH) << 2) : dgx;
  const dgs = dgh + (<usize>(N * GH) << 2);
  let dhNew = dgs + (<usize>(B * GH) << 2);
  let dh = dh0;

  if (dhN != 0) memory.copy(dh, dhN, stateBytes);
  else memory.fill(dh, 0, stateBytes);
  if (mode == LSTM) {
    if (dcN != 0) memory.copy(dc0, dcN, stateBytes);
    else memory.fill(dc0, 0, stateBytes);
  }
  memory.fill(dgx, 0, <usize>(N * GH * (mode == GRU ? 2 : 1)) << 2);

  if (H > 0 && N > 0) {
    // W_hh as the right operand of dGs [B, GH] x W_hh [GH, H], packed once.
    const packed = scratch(2, packedBBytes(GH, H));
    packBAll(wHh, H, 1, GH, H, packed);
    const pa = scratch(0, <usize>(min(B + 3, MC) * min(GH, KC)) << 2);
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
      gemmPacked(B, H, GH, dgs, GH, 1, packed, dhNew, H, true, pa);
      const tmp = dh;
      dh = dhNew;
      dhNew = tmp;
    }
  }
  if (dh != dh0) memory.copy(dh0, dh, stateBytes);

  // The large products over all steps at once.
  gemm(N, I, GH, dgx, GH, 1, wIh, I, 1, dx, I, false);
  gemm(GH, I, N, dgx, 1, GH, x, I, 1, dWIh, I, false);
  gemm(GH, H, N, dgh, 1, GH, hprev, H, 1, dWHh, H, false);
  reduceMiddle(0, false, dgx, 1, N, GH, dBIh);
  reduceMiddle(0, false, dgh, 1, N, GH, dBHh);
}
