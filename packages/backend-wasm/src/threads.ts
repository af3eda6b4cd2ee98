/**
 * Worker threads for the shared-memory build: deciding how many to start (and why none), and
 * starting them. Each worker instantiates the same module over the same `WebAssembly.Memory`
 * and runs `workerLoop`, taking parts of the tasks the main thread publishes through a control
 * block in linear memory (batch parts of the fused recurrent kernels, row blocks of the large
 * matrix products; see `assembly/threads.ts` and `assembly/parallel.ts`). Node.js only
 * (worker_threads); elsewhere the backend runs on one thread and says why.
 */
import { nodeBuiltin, type RnnkitExports } from './module.js';

/** Most threads (the calling one included) `'auto'` starts. */
export const MAX_AUTO_THREADS = 4;
/** Most worker threads an explicit count starts. */
export const MAX_WORKERS = 15;

/** What {@link planThreads} needs to know about the environment. */
export interface ThreadEnvironment {
  /** Running in Node.js (worker_threads available). */
  isNode: boolean;
  /** `SharedArrayBuffer` exists (in browsers: the page is cross-origin isolated). */
  hasSharedArrayBuffer: boolean;
  /** Logical cores available to this process. */
  cores: number;
  /** A custom module was given (`options.wasm`), which need not be the shared-memory build. */
  customModule: boolean;
}

/** How many worker threads to start, and why fewer than asked when that is the case. */
export interface ThreadPlan {
  /** Worker threads to start besides the calling thread. */
  workers: number;
  /** Why the backend runs on one thread (absent when workers are started or none were wanted). */
  reason?: string;
}

/**
 * Decides the worker threads for a requested count (`'auto'`: one per extra core, at most
 * {@link MAX_AUTO_THREADS} threads in all) in `env`. Without `SharedArrayBuffer` (a browser page
 * that is not cross-origin isolated), outside Node.js, or with a custom module, it plans none and
 * gives the reason, which `describe()` reports.
 */
export function planThreads(requested: number | 'auto', env: ThreadEnvironment): ThreadPlan {
  if (requested !== 'auto' && !(Number.isInteger(requested) && requested >= 0)) {
    throw new RangeError(
      `wasm backend: threads must be 'auto' or a non-negative integer of worker threads, got ${String(requested)}`,
    );
  }
  const wanted =
    requested === 'auto'
      ? Math.max(0, Math.min(env.cores, MAX_AUTO_THREADS) - 1)
      : Math.min(requested, MAX_WORKERS);
  if (wanted === 0) return { workers: 0 };
  if (env.customModule) {
    return {
      workers: 0,
      reason: 'a custom module was given (threads need the shared-memory build)',
    };
  }
  if (!env.hasSharedArrayBuffer) {
    return {
      workers: 0,
      reason: env.isNode
        ? 'SharedArrayBuffer is unavailable'
        : 'SharedArrayBuffer is unavailable: the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)',
    };
  }
  if (!env.isNode) {
    return { workers: 0, reason: 'worker threads are implemented for Node.js only' };
  }
  return { workers: wanted };
}

/** Word offsets in the control block (assembly/threads.ts). */
const QUIT_WORD = 3;
const WORKER_PARTS_WORD = 7;
const FAILED_WORD = 9;

/** Source of each worker (a CommonJS script evaluated by worker_threads). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, ctrl, index } = workerData;
let instance;
try {
  instance = new WebAssembly.Instance(module, {
    env: { memory, abort() { throw new Error('@rnnkit/backend-wasm worker: the module aborted'); } },
  });
} catch (error) {
  parentPort.postMessage({ error: String((error && error.stack) || error) });
}
if (instance) {
  parentPort.postMessage({ ready: true });
  try {
    instance.exports.workerLoop(ctrl, index);
  } catch (error) {
    // Tell the caller, which may be waiting for a part this worker claimed.
    const words = new Int32Array(memory.buffer);
    Atomics.store(words, ctrl / 4 + ${FAILED_WORD}, 1);
    Atomics.notify(words, ctrl / 4 + 2);
    throw error;
  }
}
`;

/** Minimal view of a Node worker. */
interface NodeWorker {
  once(event: 'message', listener: (message: { ready?: boolean; error?: string }) => void): void;
  once(event: 'error', listener: (error: Error) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}

/** A running pool: call {@link ThreadPool.stop} to end it. */
export interface ThreadPool {
  /** Number of workers. */
  readonly size: number;
  /** Parts of tasks the workers have run so far (to check they take part). */
  workerParts(): number;
  /** Tells the workers to quit and terminates them. */
  stop(): void;
}

/** Bytes of the control block (`CONTROL_BYTES` in assembly/threads.ts). */
const CONTROL_BYTES = 64;
/**
 * Starts `count` workers on `module`/`memory` and enables them in `wasm`. Resolves once every
 * worker is ready; on any failure stops them all and rejects with the cause.
 */
export async function startThreads(
  wasm: RnnkitExports,
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  count: number,
): Promise<ThreadPool> {
  const { Worker } = await nodeBuiltin<{
    Worker: new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;
  }>('worker_threads');
  const ctrl = wasm.alloc(CONTROL_BYTES);
  wasm.zero(ctrl, CONTROL_BYTES);
  const workers: NodeWorker[] = [];
  const stop = () => {
    wasm.setThreads(0, 0);
    const words = new Int32Array(memory.buffer);
    Atomics.store(words, ctrl / 4 + QUIT_WORD, 1);
    // Wake sleeping workers: they wait on the 64-bit claim word, whose address is ctrl.
    Atomics.notify(words, ctrl / 4);
    for (const w of workers) void w.terminate();
    workers.length = 0;
  };
  try {
    await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { module, memory, ctrl, index: i + 1 },
        });
        worker.unref();
        workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          worker.once('message', (message) => {
            if (message.ready) resolve();
            else reject(new Error(message.error ?? 'worker failed'));
          });
          worker.once('error', reject);
        });
      }),
    );
  } catch (error) {
    stop();
    wasm.free(ctrl);
    throw error;
  }
  wasm.setThreads(ctrl, count);
  return {
    size: count,
    stop,
    workerParts: () => Atomics.load(new Int32Array(memory.buffer), ctrl / 4 + WORKER_PARTS_WORD),
  };
}
