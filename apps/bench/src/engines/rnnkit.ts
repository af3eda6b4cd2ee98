/**
 * rnnkit engine child: runs one workload on one rnnkit backend and prints one JSON line.
 *
 * ```bash
 * tsx --conditions=source src/engines/rnnkit.ts --workload W2 --backend wasm --runs 10
 * tsx --conditions=source src/engines/rnnkit.ts --workload W2 --backend cpu --soak 1000
 * ```
 *
 * The model is `@rnnkit/nn`'s recurrent stack and `Dense` head, trained with nn's `Adam` on
 * `categoricalCrossEntropy` (one-hot targets), exactly as a user would write it.
 */
import { fileURLToPath } from 'node:url';
import type { Tensor, Variable } from '@rnnkit/core';
import * as core from '@rnnkit/core';
import { Adam, categoricalCrossEntropy, Dense, GRU, LSTM, SimpleRNN } from '@rnnkit/nn';
import { isHeldBias, PARITY_STEPS } from '../parity.js';
import { type SoakSample, sampleInterval, soakVerdict } from '../soak.js';
import { initialWeights } from '../weights.js';
import { ADAM, makeBatch, type ResultRow, type Workload } from '../workloads.js';
import {
  type ChildOptions,
  describeError,
  emit,
  errorRow,
  isMissingModule,
  measure,
  parseChildArgs,
  peakRssMB,
  progress,
  reserveStdout,
  resultRow,
} from './child.js';

/** Backends this engine knows, in table order. */
export const RNNKIT_BACKENDS = ['cpu', 'wasm', 'gpujs'] as const;

/** A model reduced to what the benchmark needs. */
interface BenchModel {
  params: Variable[];
  /** The parameters the same-function check trains: all but `bias_hh_*` (see `parity.ts`). */
  checkParams: Variable[];
  /** Logits `[B, U]` or `[B, T, U]`. */
  logits(x: Tensor, training: boolean): Tensor;
  dispose(): void;
}

const RECURRENT = { LSTM, GRU, SimpleRNN } as const;

/** `[L·D, B, H]` final hidden states → the last layer's `[B, D·H]` (forward, then reverse). */
function lastLayerState(hN: Tensor, layers: number, dirs: number): Tensor {
  const [, B, H] = hN.shape;
  const top = core.slice(hN, [(layers - 1) * dirs, 0, 0], [dirs, B, H]);
  return dirs === 1
    ? core.reshape(top, [B, H])
    : core.reshape(core.transpose(top, [1, 0, 2]), [B, dirs * H]);
}

/** The workload's model: an nn recurrent stack and a Dense head, from the shared initial weights. */
function buildModel(w: Workload): BenchModel {
  const D = w.bidirectional ? 2 : 1;
  const rec = new RECURRENT[w.cell]({
    inputSize: w.inputSize,
    hiddenSize: w.hidden,
    numLayers: w.layers,
    bidirectional: w.bidirectional,
    returnSequences: true,
    checkpoint: w.checkpoint ?? false,
  });
  const head = new Dense({ inputSize: D * w.hidden, units: w.units });
  const init = initialWeights(w);
  rec.loadStateDict(init.recurrent);
  head.loadStateDict(init.head);
  return {
    params: [...rec.parameters(), ...head.parameters()],
    checkParams: [
      ...[...rec.namedParameters()].filter(([n]) => !isHeldBias(n)).map(([, v]) => v),
      ...head.parameters(),
    ],
    logits(x, training) {
      const { output, hN } = rec.forward(x, { training });
      const features = w.headPerStep ? output : lastLayerState(hN, w.layers, D);
      return head.apply(features);
    },
    dispose() {
      rec.dispose();
      head.dispose();
    },
  };
}

/** Imports `@rnnkit/backend-<name>`; resolves to an error message when it cannot. */
async function loadBackend(name: string): Promise<string | undefined> {
  const spec = `@rnnkit/backend-${name}`;
  try {
    await import(spec);
    return undefined;
  } catch (e) {
    if (isMissingModule(e, spec))
      return `not installed: ${spec} is not linked into @rnnkit/bench or has no entry point yet`;
    return `failed to load ${spec}: ${describeError(e)}`;
  }
}

/** Everything a step needs, on the active backend. */
interface Prepared {
  step: () => number;
  dispose: () => void;
  notes: string[];
}

/** One Adam step on categorical cross-entropy; returns the loss before the update. */
function trainer(
  model: BenchModel,
  x: Tensor,
  y: Tensor,
  params = model.params,
): { step: () => number; dispose: () => void } {
  const { learningRate: lr, beta1, beta2, epsilon: eps } = ADAM;
  const adam = new Adam({ lr, beta1, beta2, eps });
  return {
    step: () => {
      const value = core.tidy(() => {
        const { value: l, grads } = core.variableGrads(
          () => categoricalCrossEntropy(model.logits(x, true), y),
          params,
        );
        adam.applyGradients(params, grads);
        return l;
      });
      const v = value.item();
      value.dispose();
      return v;
    },
    dispose: () => adam.dispose(),
  };
}

/** The loss of a forward pass, without updating anything. */
function forwardLoss(model: BenchModel, x: Tensor, y: Tensor): number {
  const l = core.tidy(() => categoricalCrossEntropy(model.logits(x, false), y));
  const v = l.item();
  l.dispose();
  return v;
}

/**
 * The same-function check: from the shared initial weights, the losses of
 * {@link PARITY_STEPS} Adam steps and the loss after them (training), or the loss of one
 * forward pass (inference).
 */
export function lossTrajectory(w: Workload): number[] {
  if (w.kind !== 'rnn') return [];
  const batch = makeBatch(w);
  const x = core.tensor(batch.x, batch.xShape);
  const y = core.tensor(batch.y, batch.yShape);
  const model = buildModel(w);
  try {
    if (!w.training) return [forwardLoss(model, x, y)];
    const t = trainer(model, x, y, model.checkParams);
    const losses = Array.from({ length: PARITY_STEPS }, () => t.step());
    t.dispose();
    return [...losses, forwardLoss(model, x, y)];
  } finally {
    model.dispose();
    core.dispose([x, y]);
  }
}

function prepare(w: Workload): Prepared {
  const notes: string[] = [];
  if (w.kind === 'matmul') {
    const n = w.matmulSize ?? 512;
    const rng = new core.Random(3);
    const a = core.randomNormal([n, n], 0, 1, 'float32', rng);
    const b = core.randomNormal([n, n], 0, 1, 'float32', rng);
    return {
      step: () => {
        let v = 0;
        for (let r = 0; r < (w.matmulReps ?? 1); r++) {
          const c = core.matMul(a, b);
          v += c.dataSync()[0];
          c.dispose();
        }
        return v;
      },
      dispose: () => core.dispose([a, b]),
      notes,
    };
  }
  const batch = makeBatch(w);
  const x = core.tensor(batch.x, batch.xShape);
  const y = core.tensor(batch.y, batch.yShape);
  const model = buildModel(w);
  if (!w.training) {
    return {
      step: () => {
        const out = core.tidy(() => model.logits(x, false));
        const data = out.dataSync();
        out.dispose();
        let s = 0;
        for (let i = 0; i < data.length; i++) s += data[i];
        return s / data.length;
      },
      dispose: () => {
        model.dispose();
        core.dispose([x, y]);
      },
      notes,
    };
  }
  const t = trainer(model, x, y);
  return {
    step: t.step,
    dispose: () => {
      t.dispose();
      model.dispose();
      core.dispose([x, y]);
    },
    notes,
  };
}

/** Result of a leak soak. */
export interface SoakResult {
  soak: true;
  workload: string;
  engine: 'rnnkit';
  backend: string;
  steps: number;
  /** Live tensors, storage buffers and RSS after warm-up and every {@link sampleInterval} steps. */
  samples: SoakSample[];
  ms: number;
  peakRssMB: number;
  ok: boolean;
  /** Why the soak failed (see `soakVerdict`). */
  reasons: string[];
  /** RSS trend over the soak in MB. */
  rssGrowthMB?: number;
  error?: string;
}

function sample(step: number): SoakSample {
  // A full collection first (the soak child runs with --expose-gc): the samples then measure
  // what is retained, not garbage V8 has not collected yet.
  (globalThis as { gc?: () => void }).gc?.();
  const m = core.memory();
  const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  const usage = process.memoryUsage();
  const wasmBytes = m.backend.wasmBytes;
  return {
    step,
    tensors: m.numTensors,
    dataIds: m.numDataIds,
    rssMB: mb(usage.rss),
    heapMB: mb(usage.heapUsed),
    ...(typeof wasmBytes === 'number' ? { backendMB: mb(wasmBytes) } : {}),
  };
}

async function soak(p: Prepared, opts: ChildOptions): Promise<SoakResult> {
  for (let i = 0; i < Math.max(1, opts.warmup); i++) p.step();
  const every = sampleInterval(opts.soak);
  const samples = [sample(0)];
  const t0 = performance.now();
  for (let i = 1; i <= opts.soak; i++) {
    p.step();
    if (i % every === 0 || i === opts.soak) {
      const s = sample(i);
      samples.push(s);
      progress(
        `soak ${i}/${opts.soak}: ${s.tensors} live tensors (start ${samples[0].tensors}), RSS ${s.rssMB} MB, JS heap ${s.heapMB} MB${s.backendMB === undefined ? '' : `, backend ${s.backendMB} MB`}`,
      );
    }
  }
  const verdict = soakVerdict(samples);
  return {
    soak: true,
    workload: opts.workload.id,
    engine: 'rnnkit',
    backend: opts.backend,
    steps: opts.soak,
    samples,
    ms: performance.now() - t0,
    peakRssMB: peakRssMB(),
    ...verdict,
  };
}

/** Runs one child job; never throws (failures become rows with `error`). */
export async function runRnnkit(opts: ChildOptions): Promise<ResultRow | SoakResult> {
  const fail = (msg: string): ResultRow | SoakResult =>
    opts.soak > 0
      ? {
          soak: true,
          workload: opts.workload.id,
          engine: 'rnnkit',
          backend: opts.backend,
          steps: 0,
          samples: [],
          ms: 0,
          peakRssMB: peakRssMB(),
          ok: false,
          reasons: [],
          error: msg,
        }
      : errorRow('rnnkit', opts.workload.id, opts.backend, msg);
  const loadErr = await loadBackend(opts.backend);
  if (loadErr) return fail(loadErr);
  try {
    await core.setBackend(opts.backend);
  } catch (e) {
    return fail(`cannot initialise backend '${opts.backend}': ${describeError(e)}`);
  }
  const device = core.getBackend().describe?.() ?? opts.backend;
  let p: Prepared;
  try {
    p = prepare(opts.workload);
  } catch (e) {
    return fail(`model setup failed: ${describeError(e)}`);
  }
  try {
    if (opts.soak > 0) return await soak(p, opts);
    // A workload with fixed runs is too long for separate check steps: its steps (warm-up and
    // timed), from the shared initial weights, are the trajectory.
    const fixed = opts.workload.fixedRuns !== undefined;
    const checked = fixed ? [] : lossTrajectory(opts.workload);
    const { times, check, cpuShare, values } = await measure(p.step, opts.warmup, opts.runs);
    const trajectory = fixed ? values : checked;
    return resultRow('rnnkit', opts, times, {
      device,
      check,
      cpuShare,
      notes: p.notes,
      trajectory,
    });
  } catch (e) {
    return fail(`run failed: ${describeError(e)}`);
  } finally {
    try {
      p.dispose();
    } catch {
      // Disposal errors do not change the measurement.
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  reserveStdout();
  let opts: ChildOptions;
  try {
    opts = parseChildArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`rnnkit engine: ${describeError(e)}\n`);
    process.exit(2);
  }
  emit(await runRnnkit(opts));
  process.exit(0);
}
