/**
 * Worker threads for the shared-memory build: each worker instantiates the same module over the
 * same `WebAssembly.Memory` and runs `workerLoop`, taking column panels of the large matrix
 * products that the main thread publishes through a control block in linear memory (see
 * `assembly/threads.ts`). Node.js only (worker_threads); elsewhere the backend runs on one thread.
 */
import { nodeBuiltin, type RnnkitExports } from './module.js';

/** Source of each worker (a CommonJS script evaluated by worker_threads). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, ctrl } = workerData;
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
  instance.exports.workerLoop(ctrl);
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
  /** Chunks of products the workers have computed so far (to check they take part). */
  workerChunks(): number;
  /** Tells the workers to quit and terminates them. */
  stop(): void;
}

/**
 * Starts `count` workers on `module`/`memory` and enables them in `wasm`. Resolves once every
 * worker is ready; on any failure stops them all and resolves to undefined (single-threaded).
 */
export async function startThreads(
  wasm: RnnkitExports,
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  count: number,
): Promise<ThreadPool | undefined> {
  if (count <= 0) return undefined;
  const { Worker } = await nodeBuiltin<{
    Worker: new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;
  }>('worker_threads');
  const ctrlBytes = 64;
  const ctrl = wasm.alloc(ctrlBytes);
  wasm.zero(ctrl, ctrlBytes);
  const workers: NodeWorker[] = [];
  const stop = () => {
    wasm.setThreads(0, 0);
    const words = new Int32Array(memory.buffer);
    Atomics.store(words, ctrl / 4 + 3, 1);
    // Wake sleeping workers: they wait on the 64-bit claim word, whose address is ctrl.
    Atomics.notify(words, ctrl / 4);
    for (const w of workers) void w.terminate();
    workers.length = 0;
  };
  try {
    await Promise.all(
      Array.from({ length: count }, () => {
        const worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { module, memory, ctrl },
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
  } catch {
    stop();
    wasm.free(ctrl);
    return undefined;
  }
  wasm.setThreads(ctrl, count);
  return {
    size: count,
    stop,
    workerChunks: () => Atomics.load(new Int32Array(memory.buffer), ctrl / 4 + 14),
  };
}
