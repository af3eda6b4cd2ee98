/**
 * Measures vanishing and exploding gradients for guide 3: the Frobenius norm of the Jacobian
 * ∂h_T/∂x_t for t = 1…T (T = 100) of SimpleRNN, LSTM and GRU at their default (PyTorch)
 * initialisation, averaged over random input sequences, drawn on a log scale; then trains an
 * exploding ReLU RNN with and without gradient clipping and draws both loss curves.
 *
 * Run from the repository root: `pnpm docs:figures` (writes docs/guides/media/*.svg and prints
 * the figures the guide quotes). Options: --backend cpu|wasm (default cpu).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import '@rnnkit/backend-cpu';
import '@rnnkit/backend-wasm';
import { jacobianNorms as measureJacobianNorms } from '@rnnkit/app-kit/gradient-norms';
import { Random, reshape, setBackend, setSeed, tensor, tidy, variableGrads } from '@rnnkit/core';
import {
  clipByGlobalNorm,
  Dense,
  GRU,
  LSTM,
  lossCurveSvg,
  meanSquaredError,
  type RecurrentLayer,
  SGD,
  SimpleRNN,
} from '@rnnkit/nn';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'cpu' } } });
if (values.backend !== 'cpu' && values.backend !== 'wasm') {
  throw new Error(`--backend must be cpu or wasm, got '${values.backend}'`);
}
await setBackend(values.backend);
setSeed(0);

const media = join(dirname(fileURLToPath(import.meta.url)), '..', 'guides', 'media');
mkdirSync(media, { recursive: true });

const STEPS = 100;
const INPUT = 8;
const HIDDEN = 32;
const SEQUENCES = 8;

/** An LSTM whose forget gates start nearly open: +3 on the forget rows of `bias_ih` (σ(3) ≈ 0.95). */
function lstmWithForgetBias(bias: number): LSTM {
  const lstm = new LSTM({ ...sizes, seed: 1 });
  const b = lstm.namedParameters().get('bias_ih_l0')!;
  const values = Array.from(b.dataSync(), (v, k) => (k >= HIDDEN && k < 2 * HIDDEN ? v + bias : v)); // PyTorch's gate order: i, f, g, o
  b.assign(tensor(values, [4 * HIDDEN]));
  return lstm;
}

const sizes = { inputSize: INPUT, hiddenSize: HIDDEN };
const jacobianNorms = (layer: RecurrentLayer) =>
  measureJacobianNorms(layer, { steps: STEPS, input: INPUT, sequences: SEQUENCES });
const norms: Record<string, number[]> = {
  SimpleRNN: jacobianNorms(new SimpleRNN({ ...sizes, seed: 1 })),
  LSTM: jacobianNorms(new LSTM({ ...sizes, seed: 1 })),
  GRU: jacobianNorms(new GRU({ ...sizes, seed: 1 })),
  'LSTM, forget bias +3': jacobianNorms(lstmWithForgetBias(3)),
};
writeFileSync(
  join(media, 'gradient-norms.svg'),
  lossCurveSvg(norms, {
    title: `‖∂h_T/∂x_t‖ for T = ${STEPS}, H = ${HIDDEN}, PyTorch initialisation (mean of ${SEQUENCES} sequences)`,
    xLabel: 't (step of the input)',
    yLabel: 'Jacobian norm (log scale)',
    logScale: true,
    width: 720,
  }),
);
console.log('‖∂h_T/∂x_t‖ at t = 1, 50, 90, 100:');
for (const [name, n] of Object.entries(norms)) {
  console.log(
    `  ${name.padEnd(21)} ${[0, 49, 89, 99].map((t) => n[t].toExponential(2)).join('  ')}`,
  );
}

/**
 * The exploding case: a ReLU RNN whose recurrent matrix is 1.1·I multiplies a gradient by up to
 * 1.1 per step. It learns to sum T = 40 inputs with SGD, once as is and once with the gradient's
 * global norm clipped to 1 (`clipNorm`, PyTorch's clip_grad_norm_). Returns the loss and the
 * unclipped gradient norm of each step (NaN once the weights have overflowed).
 */
function trainExploding(clipNorm: number | undefined): { loss: number[]; gradNorm: number[] } {
  const T = 40;
  const batch = 32;
  const H = 16;
  const rnn = new SimpleRNN({ inputSize: 1, hiddenSize: H, nonlinearity: 'relu', seed: 2 });
  const head = new Dense({ inputSize: H, units: 1, seed: 3 });
  const scaledIdentity = Array.from({ length: H * H }, (_, k) => (k % (H + 1) === 0 ? 1.1 : 0));
  rnn
    .namedParameters()
    .get('weight_hh_l0')!
    .assign(tensor(scaledIdentity, [H, H]));
  const optimizer = new SGD({ lr: 0.001, clipNorm });
  const params = [...rnn.parameters(), ...head.parameters()];
  const rng = new Random(4);
  const loss: number[] = [];
  const gradNorm: number[] = [];
  for (let step = 0; step < STEPS_EXPLODING; step++) {
    const xs = Array.from({ length: batch * T }, () => rng.next() * 2 - 1);
    const ys = Array.from({ length: batch }, (_, b) =>
      xs.slice(b * T, (b + 1) * T).reduce((a, v) => a + v, 0),
    );
    tidy(() => {
      const x = tensor(xs, [batch, T, 1]);
      const y = tensor(ys, [batch, 1]);
      const { value, grads } = variableGrads(() => {
        const last = reshape(rnn.forward(x).hN, [batch, H]); // h_T
        return meanSquaredError(head.apply(last), y);
      }, params);
      loss.push(value.item());
      gradNorm.push(clipByGlobalNorm(grads, Number.MAX_VALUE).norm.item());
      optimizer.applyGradients(params, grads);
    });
  }
  return { loss, gradNorm };
}

const STEPS_EXPLODING = 200;
const plain = trainExploding(undefined);
const clipped = trainExploding(1);
/** Losses up to the first non-finite one (a log scale cannot draw NaN or ∞). */
const finitePrefix = (v: number[]) => {
  const end = v.findIndex((x) => !Number.isFinite(x));
  return end === -1 ? v : v.slice(0, end);
};
writeFileSync(
  join(media, 'clipping.svg'),
  lossCurveSvg(
    { 'no clipping': finitePrefix(plain.loss), 'clipNorm: 1': finitePrefix(clipped.loss) },
    {
      title: 'ReLU RNN with W_hh = 1.1·I summing 40 inputs, SGD lr 0.001',
      xLabel: 'step',
      yLabel: 'training loss (MSE, log scale)',
      logScale: true,
      width: 720,
    },
  ),
);
const summary = (name: string, r: { loss: number[]; gradNorm: number[] }) => {
  const firstBad = r.loss.findIndex((x) => !Number.isFinite(x));
  console.log(
    `  ${name.padEnd(12)} loss ${r.loss[0].toExponential(2)} → ${r.loss.at(-1)!.toExponential(2)}; ` +
      `largest gradient norm ${Math.max(...r.gradNorm.filter(Number.isFinite)).toExponential(2)}` +
      (firstBad === -1 ? '' : `; loss not finite from step ${firstBad + 1}`),
  );
};
console.log(`exploding case, ${STEPS_EXPLODING} SGD steps:`);
summary('no clipping', plain);
summary('clipNorm: 1', clipped);
console.log(`wrote ${join(media, 'gradient-norms.svg')} and ${join(media, 'clipping.svg')}`);
