// The worker pool of the shared-memory build: running the parts of a task on every thread.
//
// Only the `threads` build (`--enable threads --sharedMemory`) has workers; in the single-thread
// build ASC_FEATURE_THREADS is false and `runParallel` runs every part on the calling thread.
// Workers instantiate the same module over the same shared memory and sit in `workerLoop`; they
// never allocate (the allocator's state is a global of the main instance), so everything a part
// needs is allocated by the main thread before it publishes the task, and each thread's private
// packing buffer comes from `threadScratch`.
//
// A task is a kind (see parallel.ts), an address of arguments and a number of independent parts;
// it is published once per fused call or large product, never per time step. Work sharing is
// dynamic so that a descheduled worker never holds the caller up: every thread (the caller
// included) claims the next part from a 64-bit claim word holding (generation << 32 | next part).
// The caller publishes a task by writing its description and then a new generation into the
// claim word, runs parts itself until none are left, and waits only for parts a worker has
// actually claimed. A worker validates the generation with compare-and-swap when it claims, so a
// worker that read a description late (while the next one was being written) never acts on it.
//
// Control block at `ctrl` (byte offsets): claim word i64 at 0, finished-part count i32 at 8,
// quit flag i32 at 12, task kind at 16, argument address at 20, part count at 24, parts run by
// workers so far (a statistic) at 28, address of the workers' scratch blocks at 32, and a flag
// at 36 that a worker whose loop threw sets (src/threads.ts), so that the caller never waits for
// a part that will not finish.
import { runPart } from './parallel';
import { alloc, free, scratch } from './memory';
import { KC, MC } from './util/gemm';

let ctrl: usize = 0;
let workers: i32 = 0;
let generation: i64 = 0;
let mainScratch: usize = 0;

/** Bytes of one thread's packing buffer: any packed block of A (MC rows by KC depths). */
export const THREAD_SCRATCH_BYTES: usize = <usize>(MC * KC) << 2;
/** Spins the calling thread makes waiting for claimed parts before sleeping (Node allows it). */
const MAIN_SPINS: i32 = 20000;
/**
 * Spins an idle worker makes before sleeping on the claim word: about 0.7 ms on the development
 * machine, enough to span the gap between the tasks of one inference or training step. A worker
 * that sleeps takes ~80 µs (median; some ms at worst) to wake and returns to cold caches;
 * spinning through the gap measured W1 2-6% faster (three interleaved A/Bs), W2 and W6
 * unchanged. OpenMP runtimes spin far longer (200 ms by default).
 */
const WORKER_SPINS: i32 = 1000000;
/** Bytes of the control block. */
export const CONTROL_BYTES: i32 = 64;

/**
 * Enables `n` workers driven through the control block at `ctrlPtr` (0 workers disables); called
 * on the main thread, which allocates the workers' scratch blocks here.
 */
export function setThreads(ctrlPtr: usize, n: i32): void {
  if (ASC_FEATURE_THREADS) {
    if (ctrl != 0) {
      const old = load<usize>(ctrl, 32);
      free(old);
      store<usize>(ctrl, 0, 32);
    }
    ctrl = ctrlPtr;
    workers = ctrlPtr != 0 ? n : 0;
    generation = ctrlPtr != 0 ? atomic.load<i64>(ctrlPtr) >>> 32 : 0;
    if (workers > 0) store<usize>(ctrl, alloc(<usize>workers * THREAD_SCRATCH_BYTES), 32);
  }
}

/** Number of workers in use. */
export function threadCount(): i32 {
  return workers;
}

/** The packing buffer (THREAD_SCRATCH_BYTES) of `thread` (0 = the calling thread). */
export function threadScratch(thread: i32): usize {
  if (thread == 0) return mainScratch;
  return load<usize>(ctrl, 32) + <usize>(thread - 1) * THREAD_SCRATCH_BYTES;
}

/** Threads that can take parts of a task (the caller and the workers). */
export function threadsAvailable(): i32 {
  return workers + 1;
}

/**
 * Runs parts 0..parts-1 of task `kind` on `args`, shared with the workers; returns when all are
 * done. Main thread only.
 */
export function runParallel(kind: i32, args: usize, parts: i32): void {
  mainScratch = scratch(0, THREAD_SCRATCH_BYTES);
  if (!ASC_FEATURE_THREADS || workers == 0 || parts < 2) {
    for (let p = 0; p < parts; p++) runPart(kind, args, p, 0);
    return;
  }
  if (ASC_FEATURE_THREADS) {
    store<i32>(ctrl, kind, 16);
    store<i32>(ctrl, <i32>args, 20);
    store<i32>(ctrl, parts, 24);
    atomic.store<i32>(ctrl, 0, 8);
    generation++;
    atomic.store<i64>(ctrl, generation << 32);
    atomic.notify(ctrl, workers);
    while (true) {
      const p = <i32>(atomic.add<i64>(ctrl, 1) & 0xffffffff);
      if (p >= parts) break;
      runPart(kind, args, p, 0);
      atomic.add<i32>(ctrl, 1, 8);
    }
    // Wait only for parts a worker claimed and is still running.
    let spins = 0;
    let done = atomic.load<i32>(ctrl, 8);
    while (done != parts) {
      if (atomic.load<i32>(ctrl, 36) != 0) {
        workers = 0;
        abort('a worker thread failed; this backend runs on one thread from now on');
      }
      if (spins < MAIN_SPINS) spins++;
      else atomic.wait<i32>(ctrl + 8, done, 1000000);
      done = atomic.load<i32>(ctrl, 8);
    }
  }
}

/** The loop worker number `index` (1, 2, ...) runs until the quit flag is set. */
export function workerLoop(ctrlPtr: usize, index: i32): void {
  if (ASC_FEATURE_THREADS) {
    ctrl = ctrlPtr;
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
      // A new task: read its description, then claim parts while the generation holds.
      const kind = load<i32>(ctrlPtr, 16);
      const args = <usize>load<i32>(ctrlPtr, 20);
      const parts = load<i32>(ctrlPtr, 24);
      while (true) {
        word = atomic.load<i64>(ctrlPtr);
        if (word >>> 32 != gen) break;
        const p = <i32>(word & 0xffffffff);
        if (p >= parts) {
          doneGen = gen;
          break;
        }
        if (atomic.cmpxchg<i64>(ctrlPtr, word, word + 1) == word) {
          runPart(kind, args, p, index);
          atomic.add<i32>(ctrlPtr, 1, 28);
          atomic.add<i32>(ctrlPtr, 1, 8);
          atomic.notify(ctrlPtr + 8, 1);
        }
      }
    }
  }
}
