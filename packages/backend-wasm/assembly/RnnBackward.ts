// The RnnBackward kernel: backpropagation through time for RnnForward. Steps are replayed in
// reverse order; each produces the pre-activation gate gradients of its rows (dGx for the input
// projection, dGh for the recurrent one; they differ only for GRU's n gate, see rnn/cells.ts)
// and one [B, G*H] x W_hh product for the state gradient. The weight gradients are then three
// large products over all steps at once.
import { gemm, gemmPacked, packBAll, packedBBytes, KC, MC } from './util/gemm';
import { scratch } from './memory';
import { reduceMiddle } from './Reduce';
import { rowBackwardAny } from './rnn/cells';
import { extraSection, gatesOf, GRU, hprevSection, lengthOf, LSTM } from './rnn/layout';

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
  const extra = extraSection(reserve, mode, N, H);
  const hprev = hprevSection(reserve, mode, N, H);
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
