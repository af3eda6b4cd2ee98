// Tasks the worker pool (threads.ts) runs, and the large matrix product split by rows.
//
// A task's arguments are i32 words in one block (`taskArgs`) that the main thread fills before
// publishing; its parts are independent (disjoint output rows), so no part waits for another and
// each output element is computed in the same order whichever thread runs it: the results are
// bit-identical to one thread.
//
// When it pays (measured on the 2-core development machine, see README "Threads"):
// - a product splits by rows of C when it has at least PARALLEL_MIN_WORK multiply-adds and 8 rows
//   (below that, publishing and waking a worker costs more than the worker saves);
// - a fused recurrent call splits its batch when it has at least RNN_SPLIT_ROWS rows and
//   RNN_MIN_WORK multiply-adds in total (B*T*G*H*(I+H)), into parts of at least RNN_PART_ROWS
//   rows; each thread runs its rows through all T steps.
import { gemm, macroKernel, packA, packBAll, panelBytes, panelsOf, KC, MC } from './util/gemm';
import { alloc, scratch } from './memory';
import { backwardPart } from './RnnBackward';
import { forwardPart } from './RnnForward';
import { runParallel, THREAD_SCRATCH_BYTES, threadsAvailable, threadScratch } from './threads';

/** Task kinds. */
export const TASK_GEMM_ROWS: i32 = 0;
export const TASK_RNN_FORWARD: i32 = 1;
export const TASK_RNN_BACKWARD: i32 = 2;
export const TASK_COLUMN_SUMS: i32 = 3;

/** Products with fewer multiply-adds than this stay on the calling thread. */
export const PARALLEL_MIN_WORK: i64 = 1 << 20;
/** Fused recurrent calls with fewer multiply-adds than this stay on the calling thread. */
export const RNN_MIN_WORK: i64 = 1 << 22;
/**
 * Fewest batch rows a fused recurrent call splits: each step of a part streams all of the packed
 * W_hh through the cache for its rows, so a batch of 2-8 rows split in two ran at 0.5-0.85x.
 */
export const RNN_SPLIT_ROWS: i32 = 16;
/**
 * Fewest rows of a part of a split fused recurrent call: two row blocks of the 2x16 micro-kernel,
 * so each B panel a step streams serves at least two of them (measured with RNN_PARTS_PER_THREAD).
 */
export const RNN_PART_ROWS: i32 = 4;
/**
 * Parts per thread of a split fused recurrent call. A part runs all T steps, so when one thread
 * is slowed the other can only take over whole parts: 4 per thread (8-row parts at B = 32 on two
 * threads become 4-row ones) measured W1 4% and W2 3% faster, W5 and W6 unchanged.
 */
export const RNN_PARTS_PER_THREAD: i32 = 4;
/** Parts per thread of a row-split product: more parts balance the load when a thread is slowed by other processes. */
const PARTS_PER_THREAD: i32 = 2;
/** Largest block of packed B (bytes) a row-split product publishes at once. */
const GROUP_BYTES: i32 = 4 << 20;
/** Words of an argument block. */
const ARGS_WORDS: i32 = 40;
/**
 * Bytes of an argument block. There are two, one after the other: a fused recurrent call over
 * both directions of a layer fills one per direction (rnn/tasks.ts).
 */
export const ARGS_BYTES: usize = <usize>ARGS_WORDS << 2;

let argsBlock: usize = 0;

/**
 * The argument block of the next task, or the `d`-th (0, 1) of the two consecutive blocks (main
 * thread only; a task's arguments live until it ends).
 */
export function taskArgs(d: i32 = 0): usize {
  if (argsBlock == 0) argsBlock = alloc(ARGS_BYTES * 2);
  return argsBlock + <usize>d * ARGS_BYTES;
}

/** Word `i` of a task's arguments. */
// @ts-ignore: decorator
@inline export function arg(args: usize, i: i32): i32 {
  return load<i32>(args + (<usize>i << 2));
}

/** Sets word `i` of a task's arguments. */
// @ts-ignore: decorator
@inline export function setArg(args: usize, i: i32, value: i32): void {
  store<i32>(args + (<usize>i << 2), value);
}

/** Runs part `part` of a task on `thread`. */
export function runPart(kind: i32, args: usize, part: i32, thread: i32): void {
  switch (kind) {
    case TASK_GEMM_ROWS: gemmRowsPart(args, part, thread); break;
    case TASK_RNN_FORWARD: forwardPart(args, part, thread); break;
    case TASK_RNN_BACKWARD: backwardPart(args, part, thread); break;
    default: columnSumsPart(args, part, thread); break;
  }
}

/**
 * Rows per part when `rows` rows of a task with `work` multiply-adds are shared: all of them
 * (one part) when the work is below `minWork`, there is one thread or fewer than `splitRows`
 * rows; else about `partsPerThread` parts per thread of at least `minRows` rows each, rounded up
 * to a multiple of `align`.
 */
export function rowsPerPart(
  rows: i32, work: i64, minWork: i64, splitRows: i32, minRows: i32, partsPerThread: i32, align: i32,
): i32 {
  const threads = threadsAvailable();
  if (threads == 1 || work < minWork || rows < splitRows) return max(rows, 1);
  const parts = min(threads * partsPerThread, rows / minRows);
  const per = (rows + parts - 1) / parts;
  return (per + align - 1) / align * align;
}

/** Number of parts of `rows` rows cut into blocks of `per`. */
// @ts-ignore: decorator
@inline export function partsOf(rows: i32, per: i32): i32 {
  return (rows + per - 1) / per;
}

// Argument words of TASK_GEMM_ROWS.
const G_M = 0; const G_N = 1; const G_A = 2; const G_SAM = 3; const G_SAK = 4; const G_PB = 5;
const G_C = 6; const G_LDC = 7; const G_ACC = 8; const G_K0 = 9; const G_K1 = 10; const G_ROWS = 11;

/**
 * C[M, N] = op(A) op(B) (or += when `accumulate`), as {@link gemm}, with the rows of C shared
 * among the threads when the product is large enough. B is packed once per group of depth
 * chunks (at most GROUP_BYTES) by the calling thread; each part packs its own rows of A.
 */
export function gemmParallel(
  M: i32, N: i32, K: i32,
  a: usize, sam: i32, sak: i32,
  b: usize, sbk: i32, sbn: i32,
  c: usize, ldc: i32, accumulate: bool,
): void {
  const rows = M > 0 && N > 0 && K > 0
    ? rowsPerPart(M, <i64>M * <i64>N * <i64>K, PARALLEL_MIN_WORK, 8, 4, PARTS_PER_THREAD, 4)
    : M;
  if (rows >= M) {
    gemm(M, N, K, a, sam, sak, b, sbk, sbn, c, ldc, accumulate);
    return;
  }
  const panels = panelsOf(N);
  const groupK = max(1, GROUP_BYTES / <i32>panelBytes(KC, panels)) * KC;
  const pb = scratch(1, panelBytes(min(K, groupK), panels));
  const args = taskArgs();
  setArg(args, G_M, M);
  setArg(args, G_N, N);
  setArg(args, G_A, <i32>a);
  setArg(args, G_SAM, sam);
  setArg(args, G_SAK, sak);
  setArg(args, G_PB, <i32>pb);
  setArg(args, G_C, <i32>c);
  setArg(args, G_LDC, ldc);
  setArg(args, G_ACC, accumulate ? 1 : 0);
  setArg(args, G_ROWS, rows);
  for (let k0 = 0; k0 < K; k0 += groupK) {
    const k1 = min(K, k0 + groupK);
    packBAll(b + (<usize>(k0 * sbk) << 2), sbk, sbn, k1 - k0, N, pb);
    setArg(args, G_K0, k0);
    setArg(args, G_K1, k1);
    runParallel(TASK_GEMM_ROWS, args, partsOf(M, rows));
  }
}

/** Rows [part * rows, ...) of C over the depths [k0, k1) whose B is packed at pb. */
function gemmRowsPart(args: usize, part: i32, thread: i32): void {
  const M = arg(args, G_M);
  const N = arg(args, G_N);
  const a = <usize>arg(args, G_A);
  const sam = arg(args, G_SAM);
  const sak = arg(args, G_SAK);
  const pb = <usize>arg(args, G_PB);
  const c = <usize>arg(args, G_C);
  const ldc = arg(args, G_LDC);
  const accumulate = arg(args, G_ACC) != 0;
  const k0 = arg(args, G_K0);
  const k1 = arg(args, G_K1);
  const rows = arg(args, G_ROWS);
  const panels = panelsOf(N);
  const pa = threadScratch(thread);
  const end = min(M, (part + 1) * rows);
  for (let i0 = part * rows; i0 < end; i0 += MC) {
    const mc = min(MC, end - i0);
    for (let k = k0; k < k1; k += KC) {
      const kc = min(KC, k1 - k);
      packA(a, sam, sak, i0, mc, k, kc, pa);
      macroKernel(
        pa, pb + panelBytes(k - k0, panels), mc, N, kc,
        c + (<usize>(i0 * ldc) << 2), ldc, accumulate || k > 0, 0, panels,
      );
    }
  }
}

// Argument words of TASK_COLUMN_SUMS.
const S_X = 0; const S_ROWS = 1; const S_COLS = 2; const S_Y = 3; const S_PER = 4;

/**
 * y[c] = the sum over r of x[r, c] for x of [R, C] float32, accumulated in f64 in row order and
 * rounded once (as `reduceMiddle` does), with the columns shared among the threads.
 */
export function columnSums(x: usize, R: i32, C: i32, y: usize): void {
  if (C <= 0) return;
  // A part's f64 accumulators live in its thread's scratch.
  const most = <i32>(THREAD_SCRATCH_BYTES >> 3);
  const per = min(most, rowsPerPart(C, <i64>R * <i64>C, PARALLEL_MIN_WORK, 32, 16, PARTS_PER_THREAD, 2));
  const args = taskArgs();
  setArg(args, S_X, <i32>x);
  setArg(args, S_ROWS, R);
  setArg(args, S_COLS, C);
  setArg(args, S_Y, <i32>y);
  setArg(args, S_PER, per);
  runParallel(TASK_COLUMN_SUMS, args, partsOf(C, per));
}

/** Columns [part * per, ...) of a column-sum task. */
function columnSumsPart(args: usize, part: i32, thread: i32): void {
  const x = <usize>arg(args, S_X);
  const R = arg(args, S_ROWS);
  const C = arg(args, S_COLS);
  const y = <usize>arg(args, S_Y);
  const c0 = part * arg(args, S_PER);
  const n = min(C, c0 + arg(args, S_PER)) - c0;
  const acc = threadScratch(thread);
  memory.fill(acc, 0, <usize>n << 3);
  const pairs = n & ~1;
  for (let r = 0; r < R; r++) {
    const row = x + (<usize>(r * C + c0) << 2);
    let i = 0;
    for (; i < pairs; i += 2) {
      const p = acc + (<usize>i << 3);
      v128.store(p, f64x2.add(v128.load(p), f64x2.promote_low_f32x4(v128.load64_zero(row + (<usize>i << 2)))));
    }
    if (i < n) {
      const p = acc + (<usize>i << 3);
      store<f64>(p, load<f64>(p) + <f64>load<f32>(row + (<usize>i << 2)));
    }
  }
  for (let i = 0; i < n; i++) store<f32>(y + (<usize>(c0 + i) << 2), <f32>load<f64>(acc + (<usize>i << 3)));
}
