/**
 * Local measurement (not a test) of what the worker threads gain: one thread against all the
 * threads `'auto'` starts, in the same process, alternating, on the fused recurrent kernels and
 * matrix products of several sizes. Prints per case the median time of each and the median of the
 * per-round ratios, and the ratio of the best times (the least disturbed runs on a loaded machine).
 *   pnpm --filter @rnnkit/backend-wasm bench:threads [--rounds 7] [--case lstm-b32]
 */
import { parseArgs } from 'node:util';
import type { Backend, KernelFunc, RnnMode, TensorInfo } from '@rnnkit/core';
import { createWasmBackend, type WasmBackend } from '../src/index.js';

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    case: { type: 'string', default: '' },
    threads: { type: 'string', default: 'auto' },
  },
});
const rounds = Number(flags.rounds);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new RangeError(`--rounds: expected a positive integer, got ${flags.rounds}`);

function input(backend: Backend, shape: number[], scale = 1): TensorInfo {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = Math.sin(i * 12.9898) * 0.5 * scale;
  return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
}

/** Milliseconds per call of `fn`, over at least `minMs`. */
function time(fn: () => void, minMs: number): number {
  fn();
  let reps = 0;
  const start = performance.now();
  let now = start;
  do {
    fn();
    reps++;
    now = performance.now();
  } while (now - start < minMs);
  return (now - start) / reps;
}

type Step = (backend: WasmBackend) => () => void;

function rnnStep(
  mode: RnnMode,
  B: number,
  T: number,
  I: number,
  H: number,
  training: boolean,
): Step {
  const G = mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1;
  return (backend) => {
    const s = 1 / Math.sqrt(H);
    const inputs = {
      x: input(backend, [B, T, I]),
      wIh: input(backend, [G * H, I], s),
      wHh: input(backend, [G * H, H], s),
      bIh: input(backend, [G * H], s),
      bHh: input(backend, [G * H], s),
      h0: input(backend, [B, H]),
      c0: input(backend, [B, H]),
    };
    const dy = input(backend, [B, T, H]);
    const dhN = input(backend, [B, H]);
    const forward = backend.kernels.RnnForward as unknown as KernelFunc<'RnnForward', Backend>;
    const backward = backend.kernels.RnnBackward as unknown as KernelFunc<'RnnBackward', Backend>;
    return () => {
      const out = forward(inputs, { mode, reverse: false, training }, backend);
      const outs = Object.values(out);
      if (training) {
        const grads = backward(
          { ...inputs, y: out.y, reserve: out.reserve, dy, dhN, dcN: dhN },
          { mode, reverse: false },
          backend,
        );
        outs.push(...Object.values(grads));
      }
      for (const t of outs) if (t) backend.disposeData(t.dataId);
    };
  };
}

function matMulStep(m: number, k: number, n: number): Step {
  return (backend) => {
    const a = input(backend, [m, k]);
    const b = input(backend, [k, n]);
    const kernel = backend.kernels.MatMul as unknown as KernelFunc<'MatMul', Backend>;
    return () => {
      const { y } = kernel({ a, b }, { transposeA: false, transposeB: false }, backend);
      backend.disposeData(y.dataId);
    };
  };
}

const CASES: Record<string, Step> = {
  'W2 lstm-train B32 T50 I64 H128': rnnStep('LSTM', 32, 50, 64, 128, true),
  'W1 lstm-infer B32 T50 I64 H128': rnnStep('LSTM', 32, 50, 64, 128, false),
  'W5 lstm-train B16 T100 I65 H256': rnnStep('LSTM', 16, 100, 65, 256, true),
  'W6 lstm-train B32 T50 I256 H128': rnnStep('LSTM', 32, 50, 256, 128, true),
  'gru-train B32 T50 I64 H128': rnnStep('GRU', 32, 50, 64, 128, true),
  'lstm-train B8 T20 I32 H32': rnnStep('LSTM', 8, 20, 32, 32, true),
  'lstm-train B4 T50 I32 H64': rnnStep('LSTM', 4, 50, 32, 64, true),
  'lstm-train B16 T20 I64 H64': rnnStep('LSTM', 16, 20, 64, 64, true),
  'lstm-infer B8 T50 I64 H128': rnnStep('LSTM', 8, 50, 64, 128, false),
  'lstm-train B2 T100 I64 H128': rnnStep('LSTM', 2, 100, 64, 128, true),
  'matmul 64x64x64': matMulStep(64, 64, 64),
  'matmul 96x96x96': matMulStep(96, 96, 96),
  'matmul 128x128x128': matMulStep(128, 128, 128),
  'matmul 256x256x256': matMulStep(256, 256, 256),
  'matmul 512x512x512': matMulStep(512, 512, 512),
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const requested = flags.threads === 'auto' ? 'auto' : Number(flags.threads);
const one = await createWasmBackend({ threads: 0 });
const many = await createWasmBackend({ threads: requested });
console.log(`${one.describe()}\n${many.describe()}\nrounds ${rounds}, alternating`);
for (const [name, make] of Object.entries(CASES)) {
  if (flags.case && !name.includes(flags.case)) continue;
  const run1 = make(one);
  const runN = make(many);
  const t1: number[] = [];
  const tN: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const a = time(run1, 150);
    const b = time(runN, 150);
    t1.push(a);
    tN.push(b);
    ratios.push(a / b);
  }
  const best1 = Math.min(...t1);
  const bestN = Math.min(...tN);
  console.log(
    `${name.padEnd(34)} 1 thread ${median(t1).toFixed(3).padStart(8)} ms (best ${best1.toFixed(3)})  ${many.threads} threads ${median(tN).toFixed(3).padStart(8)} ms (best ${bestN.toFixed(3)})  speed-up: median of rounds ${median(ratios).toFixed(2)}x, best/best ${(best1 / bestN).toFixed(2)}x`,
  );
}
console.log(`task parts run by workers: ${many.workerParts}`);
one.dispose();
many.dispose();
