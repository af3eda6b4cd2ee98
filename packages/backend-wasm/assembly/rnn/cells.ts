// The cell math of the fused recurrent kernels, one strategy per mode (LSTM, GRU, and the plain
// RNN_TANH / RNN_RELU cell), each with its forward and backward lanes side by side so the two
// cannot drift apart. A lane function handles hidden units [j, j+4) with f32x4 (`vec`) or unit j
// alone; the row functions run a whole row and dispatch on the mode once per row, with the mode
// a compile-time constant inside so every branch folds away. A forward lane keeps the
// activations the backward pass needs (`keep`, training) or only the new state (inference).
import { sigmoidV, tanhV } from '../util/math';
import { MODE_GRU, MODE_LSTM, MODE_RNN_RELU, MODE_RNN_TANH } from '../generated/ops';

// @ts-ignore: decorator
@inline function ldv(p: usize, vec: bool): v128 {
  return vec ? v128.load(p) : v128.load32_splat(p);
}

// @ts-ignore: decorator
@inline function stv(p: usize, v: v128, vec: bool): void {
  if (vec) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

// ------------------------------------------------------------------------------------ LSTM

/**
 * First pass of an LSTM row: gates i, f, g, o from the projections and the new c (written over
 * c). o is written over its pre-activation in `g` for the second pass; with `keep` so are i, f and
 * g. The row runs in two passes because one lane's chain (gate non-linearities, c, tanh(c), h) is
 * too long for the out-of-order window to overlap neighbouring lanes; split in two, each pass's
 * lanes are independent chains of half the length (measured: a quarter less time per row).
 */
// @ts-ignore: decorator
@inline function lstmGates(
  keep: bool, vec: bool, o: usize, blk: usize, g: usize, hp: usize, c: usize,
): void {
  const i = sigmoidV(f32x4.add(ldv(g + o, vec), ldv(hp + o, vec)));
  const f = sigmoidV(f32x4.add(ldv(g + blk + o, vec), ldv(hp + blk + o, vec)));
  const gg = tanhV(f32x4.add(ldv(g + 2 * blk + o, vec), ldv(hp + 2 * blk + o, vec)));
  const og = sigmoidV(f32x4.add(ldv(g + 3 * blk + o, vec), ldv(hp + 3 * blk + o, vec)));
  const cn = f32x4.add(f32x4.mul(f, ldv(c + o, vec)), f32x4.mul(i, gg));
  if (keep) {
    stv(g + o, i, vec);
    stv(g + blk + o, f, vec);
    stv(g + 2 * blk + o, gg, vec);
  }
  stv(g + 3 * blk + o, og, vec);
  stv(c + o, cn, vec);
}

/** Second pass of an LSTM row: h = o * tanh(c) from the first pass; with `keep`, keeps tanh(c). */
// @ts-ignore: decorator
@inline function lstmOutput(
  keep: bool, vec: bool, o: usize, blk: usize, g: usize, c: usize, h: usize, y: usize, extra: usize,
): void {
  const tc = tanhV(ldv(c + o, vec));
  const hn = f32x4.mul(ldv(g + 3 * blk + o, vec), tc);
  if (keep) stv(extra + o, tc, vec);
  stv(h + o, hn, vec);
  stv(y + o, hn, vec);
}

/** Pre-activation gradients of i, f, g, o (the same for both projections); carries dc back. */
// @ts-ignore: decorator
@inline function lstmBackward(
  vec: bool, o: usize, blk: usize, dht: v128,
  g: usize, extra: usize, cprev: usize, dc: usize, dgx: usize, dgh: usize, dhn: usize,
): void {
  const one = f32x4.splat(1.0);
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
}

// ------------------------------------------------------------------------------------- GRU

/**
 * Gates r, z, n (b_hh added here: the n gate needs W_hn h + b_hn apart); with `keep`, keeps the
 * gates and that product.
 */
// @ts-ignore: decorator
@inline function gruForward(
  keep: bool, vec: bool, o: usize, blk: usize,
  g: usize, hp: usize, bhh: usize, h: usize, y: usize, extra: usize,
): void {
  const one = f32x4.splat(1.0);
  const r = sigmoidV(f32x4.add(f32x4.add(ldv(g + o, vec), ldv(hp + o, vec)), ldv(bhh + o, vec)));
  const z = sigmoidV(
    f32x4.add(f32x4.add(ldv(g + blk + o, vec), ldv(hp + blk + o, vec)), ldv(bhh + blk + o, vec)),
  );
  const hn = f32x4.add(ldv(hp + 2 * blk + o, vec), ldv(bhh + 2 * blk + o, vec));
  const n = tanhV(f32x4.add(ldv(g + 2 * blk + o, vec), f32x4.mul(r, hn)));
  const hOld = ldv(h + o, vec);
  const hNew = f32x4.add(f32x4.mul(f32x4.sub(one, z), n), f32x4.mul(z, hOld));
  if (keep) {
    stv(g + o, r, vec);
    stv(g + blk + o, z, vec);
    stv(g + 2 * blk + o, n, vec);
    stv(extra + o, hn, vec);
  }
  stv(h + o, hNew, vec);
  stv(y + o, hNew, vec);
}

/** Pre-activation gradients; the hidden side's n block is scaled by r. */
// @ts-ignore: decorator
@inline function gruBackward(
  vec: bool, o: usize, blk: usize, dht: v128,
  g: usize, extra: usize, hprev: usize, dgx: usize, dgh: usize, dhn: usize,
): void {
  const one = f32x4.splat(1.0);
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
}

// --------------------------------------------------------------------- RNN_TANH / RNN_RELU

/** h = tanh(pre) or max(pre, 0); the activation is the only thing kept (with `keep`). */
// @ts-ignore: decorator
@inline function simpleForward(
  keep: bool, tanh: bool, vec: bool, o: usize, g: usize, hp: usize, h: usize, y: usize,
): void {
  const pre = f32x4.add(ldv(g + o, vec), ldv(hp + o, vec));
  const a = tanh ? tanhV(pre) : f32x4.max(pre, f32x4.splat(0));
  if (keep) stv(g + o, a, vec);
  stv(h + o, a, vec);
  stv(y + o, a, vec);
}

/** The activation's derivative from its output. */
// @ts-ignore: decorator
@inline function simpleBackward(
  tanh: bool, vec: bool, o: usize, dht: v128, g: usize, dgx: usize, dgh: usize, dhn: usize,
): void {
  const one = f32x4.splat(1.0);
  const a = ldv(g + o, vec);
  const d = tanh
    ? f32x4.mul(dht, f32x4.sub(one, f32x4.mul(a, a)))
    : v128.and(dht, f32x4.gt(a, f32x4.splat(0)));
  stv(dgx + o, d, vec);
  stv(dgh + o, d, vec);
  stv(dhn + o, f32x4.splat(0), vec);
}

// ---------------------------------------------------------------------------- dispatch

/** Forward cell math of GRU and the plain cells for hidden units [j, j+4) (or j alone when !vec) of one row. */
// @ts-ignore: decorator
@inline function cellForward(
  mode: i32, keep: bool, vec: bool, j: i32, H: i32,
  g: usize, hp: usize, bhh: usize, h: usize, c: usize, y: usize, extra: usize,
): void {
  const o = <usize>j << 2;
  const blk = <usize>H << 2;
  if (mode == MODE_GRU) gruForward(keep, vec, o, blk, g, hp, bhh, h, y, extra);
  else simpleForward(keep, mode == MODE_RNN_TANH, vec, o, g, hp, h, y);
}

// @ts-ignore: decorator
@inline function rowForward(
  mode: i32, keep: bool, H: i32,
  g: usize, hp: usize, bhh: usize, h: usize, c: usize, y: usize, extra: usize,
): void {
  let j = 0;
  if (mode == MODE_LSTM) {
    const blk = <usize>H << 2;
    for (; j + 4 <= H; j += 4) lstmGates(keep, true, <usize>j << 2, blk, g, hp, c);
    for (; j < H; j++) lstmGates(keep, false, <usize>j << 2, blk, g, hp, c);
    for (j = 0; j + 4 <= H; j += 4) lstmOutput(keep, true, <usize>j << 2, blk, g, c, h, y, extra);
    for (; j < H; j++) lstmOutput(keep, false, <usize>j << 2, blk, g, c, h, y, extra);
    return;
  }
  for (; j + 4 <= H; j += 4) cellForward(mode, keep, true, j, H, g, hp, bhh, h, c, y, extra);
  for (; j < H; j++) cellForward(mode, keep, false, j, H, g, hp, bhh, h, c, y, extra);
}

/**
 * Advances one row (one batch element at one step): `g` is its gate row (projections in,
 * activations out), `hp` its hidden product, `h`/`c` its running state, `y` its output row and
 * `extra` its extra reserve block.
 */
export function rowForwardAny(
  mode: i32, H: i32, g: usize, hp: usize, bhh: usize, h: usize, c: usize, y: usize, extra: usize,
): void {
  switch (mode) {
    case MODE_LSTM: rowForward(MODE_LSTM, true, H, g, hp, bhh, h, c, y, extra); break;
    case MODE_GRU: rowForward(MODE_GRU, true, H, g, hp, bhh, h, c, y, extra); break;
    case MODE_RNN_TANH: rowForward(MODE_RNN_TANH, true, H, g, hp, bhh, h, c, y, extra); break;
    default: rowForward(MODE_RNN_RELU, true, H, g, hp, bhh, h, c, y, extra); break;
  }
}

/**
 * As {@link rowForwardAny} for inference: the same arithmetic, but only the new state (h, and c
 * for LSTM) and the output row are kept; `g` is a work row (LSTM writes its o gate there).
 */
export function rowInferAny(
  mode: i32, H: i32, g: usize, hp: usize, bhh: usize, h: usize, c: usize, y: usize,
): void {
  switch (mode) {
    case MODE_LSTM: rowForward(MODE_LSTM, false, H, g, hp, bhh, h, c, y, 0); break;
    case MODE_GRU: rowForward(MODE_GRU, false, H, g, hp, bhh, h, c, y, 0); break;
    case MODE_RNN_TANH: rowForward(MODE_RNN_TANH, false, H, g, hp, bhh, h, c, y, 0); break;
    default: rowForward(MODE_RNN_RELU, false, H, g, hp, bhh, h, c, y, 0); break;
  }
}

/**
 * Backward cell math for units [j, j+4) (or j alone) of one row: writes the pre-activation
 * gradients dgx (and dgh, which for GRU differs in the n block) and the direct part of the
 * state gradient `dhn`, and updates dc in place (LSTM). The gradient reaching h is dh + dy, or dh
 * alone without `hasDy` (an absent dy, i.e. zero; `dy` is then not read).
 */
// @ts-ignore: decorator
@inline function cellBackward(
  mode: i32, hasDy: bool, vec: bool, j: i32, H: i32,
  g: usize, extra: usize, hprev: usize, cprev: usize,
  dh: usize, dy: usize, dc: usize, dgx: usize, dgh: usize, dhn: usize,
): void {
  const o = <usize>j << 2;
  const blk = <usize>H << 2;
  const dht = hasDy ? f32x4.add(ldv(dh + o, vec), ldv(dy + o, vec)) : ldv(dh + o, vec);
  if (mode == MODE_LSTM) lstmBackward(vec, o, blk, dht, g, extra, cprev, dc, dgx, dgh, dhn);
  else if (mode == MODE_GRU) gruBackward(vec, o, blk, dht, g, extra, hprev, dgx, dgh, dhn);
  else simpleBackward(mode == MODE_RNN_TANH, vec, o, dht, g, dgx, dgh, dhn);
}

// @ts-ignore: decorator
@inline function rowBackward(
  mode: i32, hasDy: bool, H: i32, g: usize, extra: usize, hprev: usize, cprev: usize,
  dh: usize, dy: usize, dc: usize, dgx: usize, dgh: usize, dhn: usize,
): void {
  let j = 0;
  for (; j + 4 <= H; j += 4) {
    cellBackward(mode, hasDy, true, j, H, g, extra, hprev, cprev, dh, dy, dc, dgx, dgh, dhn);
  }
  for (; j < H; j++) {
    cellBackward(mode, hasDy, false, j, H, g, extra, hprev, cprev, dh, dy, dc, dgx, dgh, dhn);
  }
}

/** {@link rowBackward} with the mode a compile-time constant (`hasDy` one already). */
// @ts-ignore: decorator
@inline function rowBackwardOfMode(
  mode: i32, hasDy: bool, H: i32, g: usize, extra: usize, hprev: usize, cprev: usize,
  dh: usize, dy: usize, dc: usize, dgx: usize, dgh: usize, dhn: usize,
): void {
  switch (mode) {
    case MODE_LSTM: rowBackward(MODE_LSTM, hasDy, H, g, extra, hprev, cprev, dh, dy, dc, dgx, dgh, dhn); break;
    case MODE_GRU: rowBackward(MODE_GRU, hasDy, H, g, extra, hprev, cprev, dh, dy, dc, dgx, dgh, dhn); break;
    case MODE_RNN_TANH: rowBackward(MODE_RNN_TANH, hasDy, H, g, extra, hprev, cprev, dh, dy, dc, dgx, dgh, dhn); break;
    default: rowBackward(MODE_RNN_RELU, hasDy, H, g, extra, hprev, cprev, dh, dy, dc, dgx, dgh, dhn); break;
  }
}

/**
 * Back-propagates one row through its step (see {@link cellBackward} for the outputs); `dy` is
 * the row's dL/dy, or 0 when the call has none (zero). Dispatches once per row on the mode and
 * on dy's presence, so the lanes carry neither test.
 */
export function rowBackwardAny(
  mode: i32, H: i32, g: usize, extra: usize, hprev: usize, cprev: usize,
  dh: usize, dy: usize, dc: usize, dgx: usize, dgh: usize, dhn: usize,
): void {
  if (dy != 0) rowBackwardOfMode(mode, true, H, g, extra, hprev, cprev, dh, dy, dc, dgx, dgh, dhn);
  else rowBackwardOfMode(mode, false, H, g, extra, hprev, cprev, dh, 0, dc, dgx, dgh, dhn);
}
