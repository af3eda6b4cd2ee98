/**
 * Long-sequence training at any size, with and without checkpointed BPTT, on one backend: each
 * variant runs in its own child process, so that its peak resident memory (maxRSS) is its own;
 * the parent prints one JSON line per variant (seconds per training step, peak RSS) and the
 * checkpoint/plain ratios. Its defaults are the L1 workload's sizes; `pnpm bench` runs L1 / L1C
 * themselves (with the Dense head) as table rows — this tool is for other sizes (T = 20,000).
 *
 * Usage: pnpm --filter @rnnkit/bench run bench:long [--backend wasm|cpu] [--steps 2]
 *        [--batch 32 --seq 4000 --input 64 --hidden 512] [--variants plain,checkpoint]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { getWorkload } from './workloads.js';

const LONG_WORKLOAD = getWorkload('L1');

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    steps: { type: 'string', default: '2' },
    batch: { type: 'string', default: String(LONG_WORKLOAD.batch) },
    seq: { type: 'string', default: String(LONG_WORKLOAD.steps) },
    input: { type: 'string', default: String(LONG_WORKLOAD.inputSize) },
    hidden: { type: 'string', default: String(LONG_WORKLOAD.hidden) },
    variants: { type: 'string', default: 'plain,checkpoint' },
    child: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

function positive(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`'--${name}' must be a positive integer, got '${text}'`);
  return n;
}

const sizes = {
  B: positive('batch', values.batch),
  T: positive('seq', values.seq),
  I: positive('input', values.input),
  H: positive('hidden', values.hidden),
  steps: positive('steps', values.steps),
};

async function child(variant: string): Promise<void> {
  const core = await import('@rnnkit/core');
  const { LSTM } = await import('@rnnkit/nn');
  if (values.backend === 'wasm') await import('@rnnkit/backend-wasm');
  else await import('@rnnkit/backend-cpu');
  await core.setBackend(values.backend as string);
  const { B, T, I, H } = sizes;
  if (variant !== 'plain' && variant !== 'checkpoint') {
    throw new Error(`'--variants' entries must be plain or checkpoint, got '${variant}'`);
  }
  const layer = new LSTM({
    inputSize: I,
    hiddenSize: H,
    seed: 1,
    checkpoint: variant === 'checkpoint',
  });
  const x = core.randomNormal([B, T, I], 0, 1, 'float32', new core.Random(7));
  const times: number[] = [];
  let loss = Number.NaN;
  for (let step = 0; step < sizes.steps; step++) {
    const start = performance.now();
    loss = core.tidy(() => {
      const { value, grads } = core.variableGrads(() => {
        // A loss on the final state (as the W workloads' head on the last step): the backward
        // pass still runs through all T steps, and nothing else of size B·T·H is kept.
        const { hN } = layer.forward(x, { training: true });
        return core.mean(core.mul(hN, hN));
      }, layer.parameters());
      layer.parameters().forEach((p, k) => p.assign(core.sub(p, core.mul(grads[k], 0.1))));
      return value.dataSync()[0];
    });
    times.push((performance.now() - start) / 1000);
  }
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  // WebAssembly memory never shrinks, so its size at the end is the backend's peak.
  const wasmBytes = core.memory().backend.wasmBytes;
  const backendPeakMiB = typeof wasmBytes === 'number' ? wasmBytes / 2 ** 20 : undefined;
  console.log(
    JSON.stringify({
      variant,
      backend: values.backend,
      ...sizes,
      secondsPerStep: times,
      loss,
      peakRssMiB,
      backendPeakMiB,
    }),
  );
}

if (values.child) {
  await child(values.child);
} else if (values.help) {
  console.log(
    'bench:long [--backend wasm|cpu] [--steps N] [--batch B] [--seq T] [--input I] [--hidden H] [--variants plain,checkpoint]\n' +
      'Trains an LSTM on random data with and without `checkpoint: true`, each variant in its own process;\n' +
      'prints seconds per step and peak RSS (MiB) per variant as JSON lines, then the checkpoint/plain ratios.',
  );
} else {
  const results: { variant: string; seconds: number; rss: number; heap?: number }[] = [];
  for (const variant of (values.variants as string).split(',')) {
    const args = [
      '--conditions=source',
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
      '--child',
      variant,
    ];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    process.stdout.write(r.stdout);
    if (r.status !== 0) {
      process.stderr.write(r.stderr);
      console.log(JSON.stringify({ variant, failed: true, status: r.status }));
      continue;
    }
    const line = JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
    const t: number[] = line.secondsPerStep;
    results.push({
      variant,
      seconds: Math.min(...t),
      rss: line.peakRssMiB,
      heap: line.backendPeakMiB,
    });
  }
  const plain = results.find((r) => r.variant === 'plain');
  const ckpt = results.find((r) => r.variant === 'checkpoint');
  if (plain && ckpt) {
    console.log(
      JSON.stringify({
        rssRatio: ckpt.rss / plain.rss,
        backendMemoryRatio: ckpt.heap && plain.heap ? ckpt.heap / plain.heap : undefined,
        timeRatio: ckpt.seconds / plain.seconds,
      }),
    );
  }
}
