// The RnnForward kernel: a fused recurrent layer (one layer, one direction, a whole batch-first
// sequence per call). The input projection of every step is one [B*T, I] x W_ih^T product
// written straight into the reserve's gate block (pre-filled with the biases); then each step
// runs the [B, H] x W_hh^T product against W_hh packed once per call, followed by the cell
// epilogue (rnn/cells.ts), which adds the projections, applies the gate non-linearities, updates
// h (and c) in place and overwrites the gate block with the activations the backward pass needs.
// The reserve layout is described in rnn/layout.ts.
import { gemm, gemmPacked, packBAll, packedBBytes, KC, MC } from './util/gemm';
import { scratch } from './memory';
import { rowForwardAny } from './rnn/cells';
import { extraSection, gatesOf, GRU, hprevSection, lengthOf, LSTM } from './rnn/layout';

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
  const extra = extraSection(reserve, mode, N, H);
  const hprev = hprevSection(reserve, mode, N, H);
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
