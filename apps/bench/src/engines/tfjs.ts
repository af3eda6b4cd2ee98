/**
 * TensorFlow.js 4.22 engine child: runs one workload on `cpu` (`@tensorflow/tfjs`'s pure-JS
 * backend) or `wasm` (`@tensorflow/tfjs-backend-wasm`, SIMD on, threads off) and prints one JSON
 * line.
 *
 * ```bash
 * tsx --conditions=source src/engines/tfjs.ts --workload W2 --backend wasm --runs 10
 * ```
 *
 * Models are `tf.sequential` + `tf.layers` (LSTM/GRU with `recurrentActivation: 'sigmoid'` to
 * match rnnkit's math, SimpleRNN with tanh), a softmax Dense head and `categoricalCrossentropy`,
 * trained with `model.trainOnBatch` and `tf.train.adam`.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PARITY_STEPS } from '../parity.js';
import { initialWeights, kerasWeights } from '../weights.js';
import { ADAM, makeBatch, type ResultRow, type Workload } from '../workloads.js';
import {
  type ChildOptions,
  describeError,
  emit,
  errorRow,
  measure,
  parseChildArgs,
  reserveStdout,
  resultRow,
} from './child.js';

type TF = typeof import('@tensorflow/tfjs');

/** Backends this engine runs. */
export const TFJS_BACKENDS = ['cpu', 'wasm'] as const;

/** The directory holding the wasm binaries shipped in `@tensorflow/tfjs-backend-wasm`. */
export function tfjsWasmDir(): string {
  const require = createRequire(import.meta.url);
  return `${path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}${path.sep}`;
}

async function selectBackend(tf: TF, name: string): Promise<string> {
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(tfjsWasmDir());
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  } else if (name !== 'cpu') {
    throw new Error(`unknown tfjs backend '${name}' (expected cpu or wasm)`);
  }
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
  let device = `tfjs ${tf.version.tfjs} ${tf.getBackend()}`;
  if (name === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    device += ` simd=${simd} threads=${threads}`;
  }
  return device;
}

function recurrentLayer(tf: TF, w: Workload, returnSequences: boolean) {
  // Glorot instead of the default orthogonal recurrent init: TF.js's orthogonal runs a QR
  // decomposition that takes minutes on its cpu backend for H = 256; the shared initial
  // weights replace whatever the initialiser drew.
  const common = {
    units: w.hidden,
    returnSequences,
    recurrentInitializer: 'glorotUniform' as const,
  };
  switch (w.cell) {
    case 'LSTM':
      return tf.layers.lstm({ ...common, recurrentActivation: 'sigmoid' });
    case 'GRU':
      return tf.layers.gru({ ...common, recurrentActivation: 'sigmoid' });
    default:
      return tf.layers.simpleRNN({ ...common, activation: 'tanh' });
  }
}

/**
 * The workload's model with the shared initial weights (`weights.ts`, converted to the Keras
 * layout), compiled with Adam and categorical cross-entropy.
 */
export function buildTfModel(tf: TF, w: Workload) {
  const model = tf.sequential();
  const inputShape = [w.steps, w.inputSize];
  for (let l = 0; l < w.layers; l++) {
    const returnSequences = w.headPerStep || l < w.layers - 1;
    const cell = recurrentLayer(tf, w, returnSequences);
    if (l === 0) model.add(tf.layers.inputLayer({ inputShape }));
    model.add(
      w.bidirectional
        ? tf.layers.bidirectional({ layer: cell as never, mergeMode: 'concat' })
        : cell,
    );
  }
  model.add(tf.layers.dense({ units: w.units, activation: 'softmax' }));
  const weights = kerasWeights(w, initialWeights(w)).map((a) => tf.tensor(a.data, a.shape));
  model.setWeights(weights);
  tf.dispose(weights);
  model.compile({
    optimizer: tf.train.adam(ADAM.learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon),
    loss: 'categoricalCrossentropy',
  });
  return model;
}

/** The same-function check (see `parity.ts`): losses of the first Adam steps and after them. */
export async function lossTrajectory(tf: TF, w: Workload): Promise<number[]> {
  if (w.kind !== 'rnn') return [];
  const batch = makeBatch(w);
  const x = tf.tensor3d(batch.x, batch.xShape);
  const y = tf.tensor(batch.y, batch.yShape);
  const model = buildTfModel(tf, w);
  const lossAfter = () => {
    const l = model.evaluate(x, y, { batchSize: w.batch }) as import('@tensorflow/tfjs').Scalar;
    const v = l.dataSync()[0];
    l.dispose();
    return v;
  };
  try {
    if (!w.training) return [lossAfter()];
    const losses: number[] = [];
    for (let i = 0; i < PARITY_STEPS; i++) {
      const l = await model.trainOnBatch(x, y);
      losses.push(Array.isArray(l) ? l[0] : l);
    }
    return [...losses, lossAfter()];
  } finally {
    model.dispose();
    tf.dispose([x, y]);
  }
}

function prepare(
  tf: TF,
  w: Workload,
): { step: () => Promise<number>; dispose: () => void; notes: string[] } {
  const notes: string[] = [];
  if (w.kind === 'matmul') {
    const n = w.matmulSize ?? 512;
    const a = tf.randomNormal([n, n], 0, 1, 'float32', 3);
    const b = tf.randomNormal([n, n], 0, 1, 'float32', 4);
    return {
      step: async () => {
        let v = 0;
        for (let r = 0; r < (w.matmulReps ?? 1); r++) {
          const c = tf.matMul(a, b);
          v += c.dataSync()[0];
          c.dispose();
        }
        return v;
      },
      dispose: () => tf.dispose([a, b]),
      notes,
    };
  }
  const batch = makeBatch(w);
  const x = tf.tensor3d(batch.x, batch.xShape);
  const y = tf.tensor(batch.y, batch.yShape);
  const model = buildTfModel(tf, w);
  if (w.cell !== 'SimpleRNN') notes.push("recurrentActivation: 'sigmoid'");
  if (w.cell === 'GRU') notes.push('GRU without reset_after (TF.js has none)');
  if (!w.training) {
    return {
      step: async () => {
        const out = tf.tidy(() => model.predict(x) as import('@tensorflow/tfjs').Tensor);
        const data = out.dataSync();
        out.dispose();
        let s = 0;
        for (let i = 0; i < data.length; i++) s += data[i];
        return s / data.length;
      },
      dispose: () => {
        model.dispose();
        tf.dispose([x, y]);
      },
      notes,
    };
  }
  return {
    step: async () => {
      const loss = await model.trainOnBatch(x, y);
      return Array.isArray(loss) ? loss[0] : loss;
    },
    dispose: () => {
      model.dispose();
      tf.dispose([x, y]);
    },
    notes,
  };
}

/** Runs one child job; never throws (failures become rows with `error`). */
export async function runTfjs(opts: ChildOptions): Promise<ResultRow> {
  if (opts.soak > 0)
    return errorRow('tfjs', opts.workload.id, opts.backend, 'the leak soak runs for rnnkit only');
  let tf: TF;
  let device: string;
  try {
    tf = await import('@tensorflow/tfjs');
    device = await selectBackend(tf, opts.backend);
  } catch (e) {
    return errorRow(
      'tfjs',
      opts.workload.id,
      opts.backend,
      `cannot initialise tfjs '${opts.backend}': ${describeError(e)}`,
    );
  }
  try {
    const trajectory = await lossTrajectory(tf, opts.workload);
    const p = prepare(tf, opts.workload);
    try {
      const { times, check, cpuShare } = await measure(p.step, opts.warmup, opts.runs);
      return resultRow('tfjs', opts, times, {
        device,
        check,
        cpuShare,
        notes: p.notes,
        trajectory,
      });
    } finally {
      p.dispose();
    }
  } catch (e) {
    return errorRow('tfjs', opts.workload.id, opts.backend, `run failed: ${describeError(e)}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  reserveStdout();
  let opts: ChildOptions;
  try {
    opts = parseChildArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`tfjs engine: ${describeError(e)}\n`);
    process.exit(2);
  }
  emit(await runTfjs(opts));
  process.exit(0);
}
