// The mode codes and memory layout shared by the fused recurrent kernels (RnnForward.ts and
// RnnBackward.ts): how many floats the reserve and the backward work area take, and where each
// section of the reserve starts.
//
// Reserve layout in floats, N = B*T rows in (b, t) order, G gates:
//   gates [N, G*H] activations (LSTM i,f,g,o; GRU r,z,n; RNN h)
//   extra [N, H]   LSTM tanh(c_t), GRU W_hn h_{t-1} + b_hn (absent for RNN_TANH/RNN_RELU)
//   hprev [N, H]   the state each step read (rows of padded steps stay zero)
//   cprev [N, H]   LSTM only: the cell state each step read
import { MODE_GRU, MODE_LSTM } from '../generated/ops';

/** Gate blocks G of a mode. */
export function gatesOf(mode: i32): i32 {
  return mode == MODE_LSTM ? 4 : mode == MODE_GRU ? 3 : 1;
}

/** Blocks of H values per row the reserve keeps besides the gates and hprev. */
export function extraBlocks(mode: i32): i32 {
  return mode == MODE_LSTM ? 2 : mode == MODE_GRU ? 1 : 0;
}

/** Floats in the reserve of one call. */
export function rnnReserveFloats(mode: i32, B: i32, T: i32, H: i32): i32 {
  return B * T * H * (gatesOf(mode) + extraBlocks(mode) + 1);
}

/**
 * Floats of the work area of an inference-mode forward call (no reserve is kept), per direction:
 * one step's gate rows [B, G*H], that step's input rows gathered [B, I], and the bias row [G*H]
 * (b_ih + b_hh, or b_ih alone for GRU) the gate rows start from.
 */
export function rnnInferenceFloats(mode: i32, B: i32, I: i32, H: i32): i32 {
  const GH = gatesOf(mode) * H;
  return B * GH + B * I + GH;
}

/** Floats of work memory the backward pass needs. */
export function rnnBackwardWorkFloats(mode: i32, B: i32, T: i32, H: i32): i32 {
  const GH = gatesOf(mode) * H;
  return B * T * GH * (mode == MODE_GRU ? 2 : 1) + B * GH + B * H;
}

/** Valid steps of sequence `b` (`T` when no lengths were given). */
// @ts-ignore: decorator
@inline export function lengthOf(lengths: usize, b: i32, T: i32): i32 {
  return lengths != 0 ? load<i32>(lengths + (<usize>b << 2)) : T;
}

/**
 * The time step sequence `b` processes at processing step `s` (counted from its first valid step
 * in the processing direction), or -1 when `s` is past its valid steps (a padded step).
 */
// @ts-ignore: decorator
@inline export function stepAt(lengths: usize, b: i32, T: i32, s: i32, reverse: bool): i32 {
  const len = lengthOf(lengths, b, T);
  if (s >= len) return -1;
  return reverse ? len - 1 - s : s;
}

/** Byte address of the reserve's `extra` section, for N = B*T rows. */
// @ts-ignore: decorator
@inline export function extraSection(reserve: usize, mode: i32, N: i32, H: i32): usize {
  return reserve + (<usize>(N * gatesOf(mode) * H) << 2);
}

/** Byte address of the reserve's `hprev` section (`cprev` follows it after N*H floats). */
// @ts-ignore: decorator
@inline export function hprevSection(reserve: usize, mode: i32, N: i32, H: i32): usize {
  return extraSection(reserve, mode, N, H) + (<usize>(N * H * (extraBlocks(mode) > 0 ? 1 : 0)) << 2);
}
