// Splitting the large matrix products across worker threads that share linear memory.
//
// Only the `threads` build (`--enable threads --sharedMemory`) has workers; in the single-thread
// build ASC_FEATURE_THREADS is false and `macroParallel` is a plain macro-kernel call. Workers
// instantiate the same module over the same shared memory and sit in `workerLoop`; they never
// allocate, so the allocator (whose state is a global of the main instance) is never used
// concurrently.
//
// Work sharing is dynamic so that a descheduled worker never holds the caller up: the column
// panels of a product are cut into chunks, and every thread (the caller included) claims the next
// chunk from a 64-bit claim word holding (generation << 32 | next chunk). The caller publishes a
// product by writing its description and then a new generation into the claim word, claims
// chunks itself until none are left, and waits only for chunks a worker has actually claimed.
// A worker validates the generation with compare-and-swap when it claims, so a worker that read
// a description late (while the next one was being written) never acts on it.
//
// Control block at `ctrl` (byte offsets): claim word i64 at 0, finished-chunk count i32 at 8,
// quit flag i32 at 12, product description at 16: pa, pb, mc, N, kc, c, ldc, acc, chunks,
// panels per chunk (i32 each); chunks computed by workers so far (a statistic) i32 at 56.
import { macroKernel } from './util/gemm';

let ctrl: usize = 0;
let workers: i32 = 0;
let generation: i64 = 0;

/** Products with fewer multiply-adds than this stay on the calling thread. */
const PARALLEL_MIN_WORK: i64 = 1 << 19;
/** Spins the calling thread makes waiting for claimed chunks before sleeping (Node allows it). */
const MAIN_SPINS: i32 = 20000;
/** Spins an idle worker makes before sleeping on the claim word. */
const WORKER_SPINS: i32 = 4000;
/** Bytes of the control block. */
export const CONTROL_BYTES: i32 = 64;

/** Enables `n` workers driven through the control block at `ctrlPtr` (0 workers disables). */
export function setThreads(ctrlPtr: usize, n: i32): void {
  if (ASC_FEATURE_THREADS) {
    ctrl = ctrlPtr;
    workers = ctrlPtr != 0 ? n : 0;
    generation = ctrlPtr != 0 ? atomic.load<i64>(ctrlPtr) >>> 32 : 0;
  }
}

/** Number of workers in use. */
export function threadCount(): i32 {
  return workers;
}

// @ts-ignore: decorator
@inline function runChunk(
  k: i32, per: i32, panels: i32,
  pa: usize, pb: usize, mc: i32, N: i32, kc: i32, c: usize, ldc: i32, acc: bool,
): void {
  const jp0 = k * per;
  macroKernel(pa, pb, mc, N, kc, c, ldc, acc, jp0, min(jp0 + per, panels));
}

/**
 * {@link macroKernel} over all column panels, shared with the workers when the product is large
 * enough. Every chunk writes a disjoint range of C's columns, and each output element is summed
 * in the same order whichever thread computes it, so the result does not depend on the split.
 */
export function macroParallel(
  pa: usize, pb: usize, mc: i32, N: i32, kc: i32, c: usize, ldc: i32, acc: bool,
): void {
  const panels = (N + 7) >> 3;
  if (
    !ASC_FEATURE_THREADS || workers == 0 || panels < 2 ||
    <i64>mc * <i64>N * <i64>kc < PARALLEL_MIN_WORK
  ) {
    macroKernel(pa, pb, mc, N, kc, c, ldc, acc, 0, panels);
    return;
  }
  if (ASC_FEATURE_THREADS) {
    const per = max(1, panels / (8 * (workers + 1)));
    const chunks = (panels + per - 1) / per;
    store<i32>(ctrl, <i32>pa, 16);
    store<i32>(ctrl, <i32>pb, 20);
    store<i32>(ctrl, mc, 24);
    store<i32>(ctrl, N, 28);
    store<i32>(ctrl, kc, 32);
    store<i32>(ctrl, <i32>c, 36);
    store<i32>(ctrl, ldc, 40);
    store<i32>(ctrl, acc ? 1 : 0, 44);
    store<i32>(ctrl, chunks, 48);
    store<i32>(ctrl, per, 52);
    atomic.store<i32>(ctrl, 0, 8);
    generation++;
    atomic.store<i64>(ctrl, generation << 32);
    atomic.notify(ctrl, workers);
    while (true) {
      const k = <i32>(atomic.add<i64>(ctrl, 1) & 0xffffffff);
      if (k >= chunks) break;
      runChunk(k, per, panels, pa, pb, mc, N, kc, c, ldc, acc);
      atomic.add<i32>(ctrl, 1, 8);
    }
    // Wait only for chunks a worker claimed and is still computing.
    let spins = 0;
    let done = atomic.load<i32>(ctrl, 8);
    while (done != chunks) {
      if (spins < MAIN_SPINS) spins++;
      else atomic.wait<i32>(ctrl + 8, done, 1000000);
      done = atomic.load<i32>(ctrl, 8);
    }
  }
}

/** The loop a worker runs until the quit flag is set. */
export function workerLoop(ctrlPtr: usize): void {
  if (ASC_FEATURE_THREADS) {
    let doneGen: i64 = atomic.load<i64>(ctrlPtr) >>> 32;
    let spins = 0;
    while (true) {
      if (atomic.load<i32>(ctrlPtr, 12) != 0) return;
      let word = atomic.load<i64>(ctrlPtr);
      const gen = word >>> 32;
      if (gen == doneGen) {
        if (spins < WORKER_SPINS) spins++;
        else atomic.wait<i64>(ctrlPtr, word, 100000000);
        continue;
      }
      spins = 0;
      // A new product: read its description, then claim chunks while the generation holds.
      const pa = <usize>load<i32>(ctrlPtr, 16);
      const pb = <usize>load<i32>(ctrlPtr, 20);
      const mc = load<i32>(ctrlPtr, 24);
      const N = load<i32>(ctrlPtr, 28);
      const kc = load<i32>(ctrlPtr, 32);
      const c = <usize>load<i32>(ctrlPtr, 36);
      const ldc = load<i32>(ctrlPtr, 40);
      const acc = load<i32>(ctrlPtr, 44) != 0;
      const chunks = load<i32>(ctrlPtr, 48);
      const per = load<i32>(ctrlPtr, 52);
      const panels = (N + 7) >> 3;
      while (true) {
        word = atomic.load<i64>(ctrlPtr);
        if (word >>> 32 != gen) break;
        const k = <i32>(word & 0xffffffff);
        if (k >= chunks) {
          doneGen = gen;
          break;
        }
        if (atomic.cmpxchg<i64>(ctrlPtr, word, word + 1) == word) {
          runChunk(k, per, panels, pa, pb, mc, N, kc, c, ldc, acc);
          atomic.add<i32>(ctrlPtr, 1, 56);
          atomic.add<i32>(ctrlPtr, 1, 8);
          atomic.notify(ctrlPtr + 8, 1);
        }
      }
    }
  }
}
