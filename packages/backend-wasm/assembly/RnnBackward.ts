// The RnnBackward kernel: backpropagation through time for RnnForward (one direction or both).
// Each batch part of the forward pass replays its steps in reverse order on its own thread; each step produces the
// pre-activation gate gradients of its rows (dGx for the input projection, dGh for the recurrent
// one; they differ only for GRU's n gate, see rnn/cells.ts) and one [rows, G*H] x W_hh product
// for the state gradient, and the part ends with its rows of dx = dGx W_ih. The weight
// gradients, which sum over every row, are then row-split products over all steps at once, and
// the bias gradients column sums.
import { gemmPacked, packBAll, packedBBytes } from './util/gemm';
import { scratch } from './memory';
import { arg, columnSums, gemmParallel, setArg, TASK_RNN_BACKWARD } from './parallel';
import { checkpointBackwardPart } from './rnn/checkpoint';
import { rowBackwardAny } from './rnn/cells';
import {
  gatesOf, hprevSection, rnnBackwardWorkFloats, rnnReserveFloats, stepAt,
} from './rnn/layout';
import {
  C_SEGMENT, K_DC0, K_DCN, K_DGH, K_DGS, K_DGX, K_DH0, K_DHN, K_DHNEW, K_DX, K_DY, R_B, R_CPREV,
  R_DIRS, R_EXTRA, R_GATES, R_H, R_HPREV, R_I, R_LENGTHS, R_MODE, R_PACKED_WHH, R_PACKED_WIH,
  R_REVERSE, R_ROWS, R_T, directionFloats, optionalRowsAt, partArgs, partOfDirection, rnnArgs,
  rowsAt, runDirections,
} from './rnn/tasks';
import { threadScratch } from './threads';
import { MODE_GRU, MODE_LSTM } from './generated/ops';

/**
 * Backward pass. `dy`, `dhN`, `dcN` may be 0 (zero gradients; no zero dy is ever materialised:
 * the rows then take the state gradient alone); `dc0` is 0 unless LSTM; `work` has
 * {@link rnnBackwardWorkFloats} floats. Outputs dx [B,T,I] (0: not wanted, not computed), dWIh,
 * dWHh, dBIh, dBHh, dh0, dc0.
 *
 * With `D` = 2 directions the inputs and gradients are stacked as `rnnForward`'s, dy is
 * [B,T,2H], and `work` holds each direction's work area (directionFloats apart) followed by
 * B*T*I floats for direction 1's dx, which is added to direction 0's at the end (the sum two
 * single-direction calls' gradients would get).
 *
 * The batch parts of the forward pass replay their steps in reverse independently (and compute
 * their rows of dx), the parts of both directions in one task; the weight gradients, which sum
 * over every row, are then row-split products over all steps at once.
 */
export function rnnBackward(
  mode: i32, B: i32, T: i32, I: i32, H: i32,
  x: usize, wIh: usize, wHh: usize, lengths: usize, reverse: bool, D: i32,
  reserve: usize, dy: usize, dhN: usize, dcN: usize,
  dx: usize, dWIh: usize, dWHh: usize, dBIh: usize, dBHh: usize, dh0: usize, dc0: usize,
  work: usize,
): void {
  const GH = gatesOf(mode) * H;
  const N = B * T;
  // W_hh as the right operand of dGs [B, GH] x W_hh [GH, H], W_ih of dGx [N, GH] x W_ih [GH, I].
  const whhBytes = packedBBytes(GH, H);
  const wihBytes = packedBBytes(GH, I);
  const packedWhh = scratch(2, <usize>D * whhBytes);
  const packedWih = scratch(1, <usize>D * wihBytes);
  const reserveBytes = <usize>directionFloats(rnnReserveFloats(mode, B, T, H), D) << 2;
  const workBytes = <usize>directionFloats(rnnBackwardWorkFloats(mode, B, T, H), D) << 2;
  const stateBytes = <usize>(B * H) << 2;
  const dx1 = work + <usize>D * workBytes;
  for (let d = 0; d < D; d++) {
    const args = rnnArgs(
      mode, B, T, I, H, lengths, reverse != (d == 1), reserve + <usize>d * reserveBytes, d, D,
    );
    const whh = packedWhh + <usize>d * whhBytes;
    const wih = packedWih + <usize>d * wihBytes;
    packBAll(wHh + (<usize>(d * GH * H) << 2), H, 1, GH, H, whh);
    packBAll(wIh + (<usize>(d * GH * I) << 2), I, 1, GH, I, wih);
    const dgx = work + <usize>d * workBytes;
    const dgh = mode == MODE_GRU ? dgx + (<usize>(N * GH) << 2) : dgx;
    const dgs = dgh + (<usize>(N * GH) << 2);
    setArg(args, R_PACKED_WHH, <i32>whh);
    setArg(args, R_PACKED_WIH, <i32>wih);
    setArg(args, K_DY, dy != 0 ? <i32>(dy + (<usize>(d * H) << 2)) : 0);
    setArg(args, K_DHN, dhN != 0 ? <i32>(dhN + <usize>d * stateBytes) : 0);
    setArg(args, K_DCN, dcN != 0 ? <i32>(dcN + <usize>d * stateBytes) : 0);
    setArg(args, K_DX, dx == 0 ? 0 : <i32>(d == 0 ? dx : dx1));
    setArg(args, K_DH0, <i32>(dh0 + <usize>d * stateBytes));
    setArg(args, K_DC0, dc0 != 0 ? <i32>(dc0 + <usize>d * stateBytes) : 0);
    setArg(args, K_DGX, <i32>dgx);
    setArg(args, K_DGH, <i32>dgh);
    setArg(args, K_DGS, <i32>dgs);
    setArg(args, K_DHNEW, <i32>(dgs + (<usize>(B * GH) << 2)));
  }
  runDirections(TASK_RNN_BACKWARD, D);

  // The weight gradients: products over all steps at once, and column sums (the products reuse
  // the argument block, so every address comes from here).
  for (let d = 0; d < D; d++) {
    const dgx = work + <usize>d * workBytes;
    const dgh = mode == MODE_GRU ? dgx + (<usize>(N * GH) << 2) : dgx;
    const hprev = hprevSection(reserve + <usize>d * reserveBytes, mode, N, H);
    gemmParallel(GH, I, N, dgx, 1, GH, x, I, 1, dWIh + (<usize>(d * GH * I) << 2), I, false);
    gemmParallel(GH, H, N, dgh, 1, GH, hprev, H, 1, dWHh + (<usize>(d * GH * H) << 2), H, false);
    columnSums(dgx, N, GH, dBIh + (<usize>(d * GH) << 2));
    columnSums(dgh, N, GH, dBHh + (<usize>(d * GH) << 2));
  }
  if (D == 2 && dx != 0) addInto(dx, dx1, N * I);
}

/** a += b over n floats. */
function addInto(a: usize, b: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = <usize>i << 2;
    v128.store(a + p, f32x4.add(v128.load(a + p), v128.load(b + p)));
  }
  for (; i < n; i++) {
    const p = <usize>i << 2;
    store<f32>(a + p, load<f32>(a + p) + load<f32>(b + p));
  }
}

/** Runs batch rows [part * rows, ...) of one direction of a backward task, and their dx. */
export function backwardPart(args0: usize, index: i32, thread: i32): void {
  const args = partArgs(args0, index);
  const part = partOfDirection(args0, index);
  if (arg(args, C_SEGMENT) != 0) {
    checkpointBackwardPart(args, part, thread);
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
  const pa = threadScratch(thread);
  const dgx = rowsAt(args, K_DGX, r0, GH);
  backwardRows(
    mode, Bs, T, H,
    optionalRowsAt(args, R_LENGTHS, b0, 1), arg(args, R_REVERSE) != 0,
    rowsAt(args, R_GATES, r0, GH), rowsAt(args, R_EXTRA, r0, H),
    rowsAt(args, R_HPREV, r0, H), rowsAt(args, R_CPREV, r0, H),
    optionalRowsAt(args, K_DY, r0, yWidth), yWidth,
    optionalRowsAt(args, K_DHN, b0, H), optionalRowsAt(args, K_DCN, b0, H),
    rowsAt(args, K_DH0, b0, H), optionalRowsAt(args, K_DC0, b0, H),
    dgx, rowsAt(args, K_DGH, r0, GH), rowsAt(args, K_DGS, b0, GH), rowsAt(args, K_DHNEW, b0, H),
    <usize>arg(args, R_PACKED_WHH), pa,
  );
  // This part's rows of dx = dG W_ih (dx 0: not wanted).
  if (arg(args, K_DX) == 0) return;
  gemmPacked(
    Bs * T, I, GH, dgx, GH, 1, <usize>arg(args, R_PACKED_WIH),
    rowsAt(args, K_DX, r0, I), I, false, pa,
  );
}

/**
 * Replays the steps of B batch rows in reverse: writes their pre-activation gate gradients
 * (dgx, dgh) and the state gradients dh0 (and dc0); the rows of dy are `dyWidth` floats apart
 * (dy 0: none, a zero dL/dy);
 * `dgs` [B, G*H] and `dhNew` [B, H] are work.
 */
function backwardRows(
  mode: i32, B: i32, T: i32, H: i32, lengths: usize, reverse: bool,
  gates: usize, extra: usize, hprev: usize, cprev: usize,
  dy: usize, dyWidth: i32, dhN: usize, dcN: usize, dh0: usize, dc0: usize,
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
  if (mode == MODE_LSTM) {
    if (dcN != 0) memory.copy(dc0, dcN, stateBytes);
    else memory.fill(dc0, 0, stateBytes);
  }
  memory.fill(dgx, 0, <usize>(N * GH) << 2);
  if (mode == MODE_GRU) memory.fill(dgh, 0, <usize>(N * GH) << 2);

  if (H > 0 && N > 0) {
    for (let s = T - 1; s >= 0; s--) {
      memory.fill(dgs, 0, <usize>(B * GH) << 2);
      for (let b = 0; b < B; b++) {
        const t = stepAt(lengths, b, T, s, reverse);
        const dhb = dh + (<usize>(b * H) << 2);
        const dhnb = dhNew + (<usize>(b * H) << 2);
        if (t < 0) {
          memory.copy(dhnb, dhb, hBytes);
          continue;
        }
        const row = b * T + t;
        const hrow = <usize>row * hBytes;
        rowBackwardAny(
          mode, H,
          gates + <usize>row * rowBytes,
          extra + hrow, hprev + hrow, cprev + hrow,
          dhb, dy != 0 ? dy + (<usize>row * <usize>dyWidth << 2) : 0, dc0 + (<usize>(b * H) << 2),
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
