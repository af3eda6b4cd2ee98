/**
 * The toy demo: an LSTM learns to output, at every step, the sum of the last three inputs of a
 * random ±1 sequence, trained with plain SGD on the cpu backend. It prints the loss falling.
 *
 * Run from the repository root: `pnpm demo` (options: --backend NAME --steps N).
 */
import '@rnnkit/backend-cpu';
import {
  getBackend,
  mean,
  mul,
  Random,
  setBackend,
  setSeed,
  square,
  sub,
  tensor,
  tidy,
  variableGrads,
} from '@rnnkit/core';
import { Dense, LSTM } from '@rnnkit/nn';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1] ?? '');
const backendName = args.get('backend') ?? 'cpu';
const steps = Number(args.get('steps') ?? 300);
if (backendName !== 'cpu') await import(`@rnnkit/backend-${backendName}`);
await setBackend(backendName);
setSeed(1);

const batch = 32;
const seqLen = 12;
const window = 3;
const lstm = new LSTM({ inputSize: 1, hiddenSize: 16, seed: 1 });
const head = new Dense({ inputSize: 16, units: 1, seed: 2 });
const params = [...lstm.parameters(), ...head.parameters()];
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

const learningRate = 0.5;
console.log(
  `rnnkit demo on backend '${getBackend().name}': LSTM(1→16) + Dense(16→1), sum of the last ${window} inputs`,
);
for (let step = 1; step <= steps; step++) {
  const { x, y } = makeBatch();
  const loss = tidy(() => {
    const xs = tensor(x, [batch, seqLen, 1]);
    const ys = tensor(y, [batch, seqLen, 1]);
    const { value, grads } = variableGrads(
      () => mean(square(sub(head.apply(lstm.forward(xs).output), ys))),
      params,
    );
    params.forEach((p, i) => p.assign(sub(p, mul(grads[i], learningRate))));
    return value.item();
  });
  if (step === 1 || step % 25 === 0)
    console.log(`step ${String(step).padStart(4)}  loss ${loss.toFixed(5)}`);
}
