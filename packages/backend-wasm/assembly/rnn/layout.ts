// The mode codes and memory layout shared by the fused recurrent kernels (RnnForward.ts and
// RnnBackward.ts): how many floats the reserve and the backward work area take, and where each
// section of the reserve starts.
//
// Reserve layout in floats, N = B*T rows in (b, t) order, G gates:
//   gates [N, G*H] activations (LSTM i,f,g,o; GRU r,z,n; RNN h)
//   extra [N, H]   LSTM tanh(c_t), GRU W_hn h_{t-1} + b_hn (absent for RNN_TANH/RNN_RELU)
//   hprev [N, H]   the state each step read (rows of padded steps stay zero)
//   cprev [N, H]   LSTM only: the cell state each step read

// Mode codes (the order of RNN modes the host passes, see src/kernels/rnn/modes.ts).
// @ts-ignore: decorator
@inline export const RNN_TANH = 0;
// @ts-ignore: decorator
@inline export const RNN_RELU = 1;
// @ts-ignore: decorator
@inline export const LSTM = 2;
// @ts-ignore: decorator
@inline export const GRU = 3;

/** Gate blocks G of a mode. */
export function gatesOf(mode: i32): i32 {
  return mode == LSTM ? 4 : mode == GRU ? 3 : 1;
}

/** Blocks of H values per row the reserve keeps besides the gates and hprev. */
export function extraBlocks(mode: i32): i32 {
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

/** Valid steps of sequence `b` (`T` when no lengths were given). */
// @ts-ignore: decorator
@inline export function lengthOf(lengths: usize, b: i32, T: i32): i32 {
  return lengths != 0 ? load<i32>(lengths + (<usize>b << 2)) : T;
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
