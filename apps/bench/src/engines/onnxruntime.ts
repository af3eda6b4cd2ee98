/**
 * ONNX Runtime engine child (`onnxruntime-node`, CPU execution provider, its default threads):
 * exports the workload's LSTM model from rnnkit with `exportOnnx`, the shared initial weights
 * loaded, times inference, and checks that its outputs agree with rnnkit's (cpu backend).
 *
 * ```bash
 * tsx --conditions=source src/engines/onnxruntime.ts --workload W1 --backend cpu --runs 10
 * ```
 */
import { fileURLToPath } from 'node:url';
import '@rnnkit/backend-cpu';
import * as core from '@rnnkit/core';
import { Dense, exportOnnx, LSTM, Sequential } from '@rnnkit/nn';
import { meanCrossEntropy } from '../parity.js';
import { initialWeights } from '../weights.js';
import { makeBatch, type ResultRow, type Workload } from '../workloads.js';
import {
  type ChildOptions,
  describeError,
  emit,
  errorRow,
  isMissingModule,
  measure,
  parseChildArgs,
  reserveStdout,
  resultRow,
} from './child.js';

/**
 * Largest accepted |ORT − rnnkit| of an output: both float32, different summation orders over
 * T steps of (I+H)-term products; the √N·2⁻²⁴ rounding estimate for N ≈ 10⁴ terms of values
 * ≤ 1 is 6·10⁻⁶ (the nn export test uses the same bound).
 */
export const ORT_OUTPUT_ATOL = 2e-5;

/** The rnnkit model of an inference LSTM workload (last state → Dense), the shared weights loaded. */
function rnnkitModel(w: Workload): Sequential {
  const lstm = new LSTM({
    inputSize: w.inputSize,
    hiddenSize: w.hidden,
    numLayers: w.layers,
    bidirectional: w.bidirectional,
    returnSequences: w.headPerStep,
  });
  const head = new Dense({ inputSize: (w.bidirectional ? 2 : 1) * w.hidden, units: w.units });
  const init = initialWeights(w);
  lstm.loadStateDict(init.recurrent);
  head.loadStateDict(init.head);
  return new Sequential([lstm, head]);
}

/** Runs one child job; never throws (failures become rows with `error`). */
export async function runOnnxRuntime(opts: ChildOptions): Promise<ResultRow> {
  const w = opts.workload;
  const fail = (msg: string) => errorRow('onnxruntime', w.id, opts.backend, msg);
  if (opts.soak > 0) return fail('the leak soak runs for rnnkit only');
  if (opts.backend !== 'cpu')
    return fail(`unknown onnxruntime backend '${opts.backend}' (expected cpu)`);
  if (w.kind !== 'rnn' || w.cell !== 'LSTM' || w.training)
    return fail('onnxruntime runs LSTM inference workloads only (W1)');
  let ort: typeof import('onnxruntime-node');
  try {
    ort = await import('onnxruntime-node');
  } catch (e) {
    return fail(
      isMissingModule(e, 'onnxruntime-node')
        ? 'not installed: onnxruntime-node is not linked into @rnnkit/bench'
        : `failed to load onnxruntime-node: ${describeError(e)}`,
    );
  }
  const batch = makeBatch(w);
  let bytes: Uint8Array;
  let expected: Float32Array;
  try {
    await core.setBackend('cpu');
    const model = rnnkitModel(w);
    const x = core.tensor(batch.x, batch.xShape);
    const y = model.predict(x) as core.Tensor;
    expected = Float32Array.from(y.dataSync());
    bytes = exportOnnx(model);
    core.dispose([x, y]);
    model.dispose();
  } catch (e) {
    return fail(`export from rnnkit failed: ${describeError(e)}`);
  }
  try {
    const session = await ort.InferenceSession.create(bytes);
    const feeds = { input: new ort.Tensor('float32', batch.x, batch.xShape) };
    const run = async () => (await session.run(feeds)).output.data as Float32Array;
    const first = await run();
    let worst = 0;
    for (let i = 0; i < expected.length; i++)
      worst = Math.max(worst, Math.abs(first[i] - expected[i]));
    const notes = [
      worst <= ORT_OUTPUT_ATOL
        ? `outputs agree with rnnkit/cpu: max |Δ| ${worst.toExponential(1)} ≤ ${ORT_OUTPUT_ATOL}`
        : `outputs DIFFER from rnnkit/cpu: max |Δ| ${worst.toExponential(1)} > ${ORT_OUTPUT_ATOL}`,
      'model exported with @rnnkit/nn exportOnnx',
    ];
    const trajectory = [meanCrossEntropy(first, batch.y, w.units)];
    const step = async () => {
      const out = await run();
      let s = 0;
      for (let i = 0; i < out.length; i++) s += out[i];
      return s / out.length;
    };
    const { times, check, cpuShare } = await measure(step, opts.warmup, opts.runs);
    await session.release();
    const device = `onnxruntime-node ${ort.env.versions?.node ?? '?'} CPU execution provider, default intra-op threads (all cores)`;
    return resultRow('onnxruntime', opts, times, { device, check, cpuShare, notes, trajectory });
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
    process.stderr.write(`onnxruntime engine: ${describeError(e)}\n`);
    process.exit(2);
  }
  emit(await runOnnxRuntime(opts));
  process.exit(0);
}
