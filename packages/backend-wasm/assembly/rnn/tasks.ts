// The arguments of the fused recurrent kernels' tasks (RnnForward.ts, RnnBackward.ts), which the
// worker pool runs (parallel.ts, threads.ts): each part is a block of batch rows of one direction
// that one thread runs through every time step, so its rows of every [B*T, ...] array are
// contiguous. A call over both directions of a layer has one argument block per direction and
// parts (direction, row block): direction d's parts follow direction 0's.
import {
  ARGS_BYTES, arg, partsOf, RNN_MIN_WORK, RNN_PART_ROWS, RNN_PARTS_PER_THREAD, RNN_SPLIT_ROWS,
  rowsPerPart, setArg, taskArgs,
} from '../parallel';
import { runParallel } from '../threads';
import { extraSection, gatesOf, hprevSection } from './layout';

// Argument words: the sizes and the addresses both passes share, then those of one pass.
export const R_MODE = 0;
export const R_B = 1;
export const R_T = 2;
export const R_I = 3;
export const R_H = 4;
export const R_ROWS = 5;
export const R_REVERSE = 6;
export const R_LENGTHS = 7;
export const R_GATES = 8;
export const R_EXTRA = 9;
export const R_HPREV = 10;
export const R_CPREV = 11;
export const R_PACKED_WHH = 12;
export const R_PACKED_WIH = 13;
// RnnForward only
export const F_X = 14;
export const F_BIH = 15;
export const F_BHH = 16;
export const F_H0 = 17;
export const F_C0 = 18;
export const F_Y = 19;
export const F_HN = 20;
export const F_CN = 21;
export const F_HP = 22;
// RnnBackward only
export const K_DY = 14;
export const K_DHN = 15;
export const K_DCN = 16;
export const K_DX = 17;
export const K_DH0 = 18;
export const K_DC0 = 19;
export const K_DGX = 20;
export const K_DGH = 21;
export const K_DGS = 22;
export const K_DHNEW = 23;
// Segment length of a checkpointed task (rnn/checkpoint.ts, which owns words 25-31); 0: plain.
export const C_SEGMENT = 24;
// Directions D of the call: the rows of y and dy hold D*H floats, this direction's H at F_Y/K_DY.
export const R_DIRS = 32;
// RnnForward: 1 when the call keeps a reserve for the backward pass (training), 0 when it runs
// the inference path, whose work area is rnnInferenceFloats (layout.ts) and not a reserve.
export const F_KEEP = 33;

/**
 * Writes the arguments both passes share into the block of direction `d` of a call over `D`
 * directions (one direction: d = 0, D = 1) and returns the block.
 */
export function rnnArgs(
  mode: i32, B: i32, T: i32, I: i32, H: i32, lengths: usize, reverse: bool, reserve: usize,
  d: i32 = 0, D: i32 = 1,
): usize {
  const GH = gatesOf(mode) * H;
  const N = B * T;
  const hprev = hprevSection(reserve, mode, N, H);
  const args = taskArgs(d);
  setArg(args, R_DIRS, D);
  setArg(args, R_MODE, mode);
  setArg(args, R_B, B);
  setArg(args, R_T, T);
  setArg(args, R_I, I);
  setArg(args, R_H, H);
  setArg(args, R_ROWS, rowsPerPart(
    B, <i64>N * <i64>GH * <i64>(I + H), RNN_MIN_WORK, RNN_SPLIT_ROWS, RNN_PART_ROWS,
    RNN_PARTS_PER_THREAD, 1,
  ));
  setArg(args, R_REVERSE, reverse ? 1 : 0);
  setArg(args, R_LENGTHS, <i32>lengths);
  setArg(args, R_GATES, <i32>reserve);
  setArg(args, R_EXTRA, <i32>extraSection(reserve, mode, N, H));
  setArg(args, R_HPREV, <i32>hprev);
  setArg(args, R_CPREV, <i32>(hprev + (<usize>(N * H) << 2)));
  setArg(args, C_SEGMENT, 0);
  setArg(args, F_KEEP, 1);
  return args;
}

/** Address word `i` of `args` advanced by `row` rows of `width` floats. */
// @ts-ignore: decorator
@inline export function rowsAt(args: usize, i: i32, row: i32, width: i32): usize {
  return <usize>arg(args, i) + (<usize>row * <usize>width << 2);
}

/** As {@link rowsAt}, but 0 stays 0 (an absent optional input or output). */
// @ts-ignore: decorator
@inline export function optionalRowsAt(args: usize, i: i32, row: i32, width: i32): usize {
  return arg(args, i) != 0 ? rowsAt(args, i, row, width) : 0;
}

/**
 * Runs the parts of a fused recurrent task over `D` directions whose argument blocks are filled.
 * Both directions' parts go into one task (so with a batch too small to split, the directions run
 * on two threads, and with a split batch the threads never wait between directions) when the
 * batch is split or the call's work pays for a worker's wake-up (RNN_MIN_WORK); otherwise each
 * direction runs on the calling thread in turn.
 */
export function runDirections(kind: i32, D: i32): void {
  const args = taskArgs(0);
  const B = arg(args, R_B);
  if (B == 0) return;
  const per = partsOf(B, arg(args, R_ROWS));
  const GH = gatesOf(arg(args, R_MODE)) * arg(args, R_H);
  const work = <i64>D * <i64>(B * arg(args, R_T)) * <i64>GH * <i64>(arg(args, R_I) + arg(args, R_H));
  if (D > 1 && (per > 1 || work >= RNN_MIN_WORK)) {
    runParallel(kind, args, D * per);
    return;
  }
  for (let d = 0; d < D; d++) runParallel(kind, taskArgs(d), per);
}

/** The argument block of part `part` of a task run by {@link runDirections}. */
// @ts-ignore: decorator
@inline export function partArgs(args: usize, part: i32): usize {
  const per = partsOf(arg(args, R_B), arg(args, R_ROWS));
  return args + <usize>(part / per) * ARGS_BYTES;
}

/** The index, among its direction's, of part `part` of a task run by {@link runDirections}. */
// @ts-ignore: decorator
@inline export function partOfDirection(args: usize, part: i32): i32 {
  return part % partsOf(arg(args, R_B), arg(args, R_ROWS));
}

/**
 * Floats between the sections of consecutive directions in a reserve or work area of `floats`
 * per direction: the sections of a two-direction call start 16-byte aligned.
 */
// @ts-ignore: decorator
@inline export function directionFloats(floats: i32, D: i32): i32 {
  return D == 1 ? floats : (floats + 3) & ~3;
}
