/**
 * PyTorch engine child: hands the workload, its data and the shared initial weights to
 * `torch_worker.py` in a Python that imports torch (see `availability.ts`), which trains or
 * runs it on the CPU with every core, and prints one JSON row like the other engines.
 *
 * ```bash
 * tsx --conditions=source src/engines/pytorch.ts --workload W2 --backend cpu --runs 10
 * ```
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PARITY_STEPS } from '../parity.js';
import { initialWeights, type WeightArray } from '../weights.js';
import { ADAM, makeBatch, type ResultRow, type Workload } from '../workloads.js';
import { findTorchPython } from './availability.js';
import {
  type ChildOptions,
  describeError,
  emit,
  errorRow,
  parseChildArgs,
  progress,
  reserveStdout,
  resultRow,
} from './child.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch_worker.py');

/** A float32 array as the worker reads it: shape and base64 little-endian bytes. */
function encoded(a: { shape: readonly number[]; data: Float32Array }): {
  shape: number[];
  b64: string;
} {
  return {
    shape: [...a.shape],
    b64: Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).toString('base64'),
  };
}

/** The job the worker reads on stdin. */
export function torchJob(w: Workload, runs: number, warmup: number): Record<string, unknown> {
  const batch = makeBatch(w);
  const init = initialWeights(w);
  const map = (r: Record<string, WeightArray>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, encoded(v)]));
  return {
    workload: w,
    x: encoded({ shape: batch.xShape, data: batch.x }),
    y: encoded({ shape: batch.yShape, data: batch.y }),
    recurrent: map(init.recurrent),
    head: map(init.head),
    adam: ADAM,
    paritySteps: PARITY_STEPS,
    runs,
    warmup,
  };
}

/** What the worker prints. */
interface WorkerResult {
  times: number[];
  check: number;
  cpuShare: number;
  trajectory: number[];
  peakRssMB: number;
  device: string;
}

/**
 * PyTorch's backends: `cpu` uses every core, `cpu-1t` one thread. Both are shown because
 * multi-threaded PyTorch on a machine with other load can run slower than one thread (measured
 * here on 2 busy cores: 2 threads 7× slower than 1 on an LSTM), and the table should not rest
 * on a single thread setting of the anchor.
 */
export const PYTORCH_THREADS: Readonly<Record<string, (cores: number) => number>> = {
  cpu: (cores) => cores,
  'cpu-1t': () => 1,
};

/**
 * The worker's environment for `threads` threads: torch's OpenMP pool and OpenBLAS's own
 * pthreads set to the same count, so the two pools do not oversubscribe the cores.
 */
export function workerEnv(env: NodeJS.ProcessEnv, threads: number): NodeJS.ProcessEnv {
  const n = String(threads);
  return { ...env, OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, RNNKIT_BENCH_TORCH_THREADS: n };
}

function runWorker(python: string, job: unknown, threads: number): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [WORKER], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: workerEnv(process.env, threads),
    });
    let out = '';
    let errTail = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      for (const line of d.split('\n')) if (line.trim()) progress(line);
      errTail = (errTail + d).slice(-600);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) return resolve(JSON.parse(line) as WorkerResult);
      const last = errTail.trim().split('\n').at(-1) ?? '';
      reject(new Error(`torch worker exited with code ${code}${last ? `: ${last}` : ''}`));
    });
    child.stdin.end(JSON.stringify(job));
  });
}

/** Runs one child job; never throws (failures become rows with `error`). */
export async function runPytorch(opts: ChildOptions): Promise<ResultRow> {
  const w = opts.workload;
  const fail = (msg: string) => errorRow('pytorch', w.id, opts.backend, msg);
  if (opts.soak > 0) return fail('the leak soak runs for rnnkit only');
  const threadsOf = PYTORCH_THREADS[opts.backend];
  if (!threadsOf)
    return fail(
      `unknown pytorch backend '${opts.backend}' (expected ${Object.keys(PYTORCH_THREADS).join(' or ')})`,
    );
  if (w.kind !== 'rnn') return fail('pytorch runs the recurrent workloads only');
  const found = findTorchPython();
  if ('missing' in found) return fail(`not installed: ${found.missing}`);
  try {
    const threads = threadsOf(os.availableParallelism());
    const r = await runWorker(found.python, torchJob(w, opts.runs, opts.warmup), threads);
    return {
      ...resultRow('pytorch', opts, r.times, {
        device: r.device,
        check: r.check,
        cpuShare: r.cpuShare,
        trajectory: r.trajectory,
        notes: [],
      }),
      peakRssMB: r.peakRssMB,
    };
  } catch (e) {
    return fail(`run failed: ${describeError(e)}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  reserveStdout();
  let opts: ChildOptions;
  try {
    opts = parseChildArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`pytorch engine: ${describeError(e)}\n`);
    process.exit(2);
  }
  emit(await runPytorch(opts));
  process.exit(0);
}
