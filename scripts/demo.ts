/**
 * The toy demo: an LSTM learns to output, at every step, the mean of the last three inputs of
 * a random ±1 sequence, trained with Adam on the cpu backend (or `--backend wasm|gpujs`). It
 * prints the loss falling and writes the loss curve as an SVG beside the numbers.
 *
 * Run from the repository root: `pnpm demo` (options: --backend NAME --steps N --out FILE).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import '@rnnkit/backend-cpu';
import {
  getBackend,
  mean,
  Random,
  setBackend,
  setSeed,
  square,
  sub,
  tensor,
  tidy,
} from '@rnnkit/core';
import { Adam, Dense, LSTM, lossCurveSvg } from '@rnnkit/nn';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1] ?? '');
const backendName = args.get('backend') ?? 'cpu';
const steps = Number(args.get('steps') ?? 200);
const out = resolve(process.env.INIT_CWD ?? process.cwd(), args.get('out') ?? 'demo-loss.svg');
if (backendName !== 'cpu') await import(`@rnnkit/backend-${backendName}`);
await setBackend(backendName);
setSeed(1);

const batch = 32;
const seqLen = 12;
const window = 3;
const lstm = new LSTM({ inputSize: 1, hiddenSize: 16, seed: 1 });
const head = new Dense({ inputSize: 16, units: 1, seed: 2 });
const params = [...lstm.parameters(), ...head.parameters()];
const optimizer = new Adam({ lr: 0.01 });
const rng = new Random(3);

function makeBatch(): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (let b = 0; b < batch; b++) {
    const seq = Array.from({ length: seqLen }, () => (rng.next() < 0.5 ? -1 : 1));
    seq.forEach((_, t) => {
      x.push(seq[t]);
      y.push(seq.slice(Math.max(0, t - window + 1), t + 1).reduce((s, v) => s + v, 0) / window);
    });
  }
  return { x, y };
}

console.log(
  `rnnkit demo on ${getBackend().describe?.() ?? getBackend().name}: LSTM(1→16) + Dense(16→1) learns the mean of the last ${window} inputs`,
);
const losses: number[] = [];
const started = performance.now();
for (let step = 1; step <= steps; step++) {
  const { x, y } = makeBatch();
  const loss = tidy(() => {
    const xs = tensor(x, [batch, seqLen, 1]);
    const ys = tensor(y, [batch, seqLen, 1]);
    return optimizer
      .minimize(() => mean(square(sub(head.apply(lstm.forward(xs).output), ys))), params)
      .item();
  });
  losses.push(loss);
  if (step === 1 || step % 20 === 0) {
    const rate = step / ((performance.now() - started) / 1000);
    console.log(
      `step ${String(step).padStart(4)}  loss ${loss.toFixed(5)}  ${rate.toFixed(1)} steps/s`,
    );
  }
}
writeFileSync(
  out,
  lossCurveSvg({ loss: losses }, { title: 'rnnkit demo: training loss', xLabel: 'step' }),
);
console.log(`loss ${losses[0].toFixed(4)} → ${losses.at(-1)!.toFixed(4)}; curve written to ${out}`);
