/**
 * A stacked bidirectional LSTM learns a memory task: training works end to end.
 */
import '@rnnkit/backend-cpu';
import { Random, setBackend, type Tensor, tensor } from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense } from '../layers/dense.js';
import { LSTM } from '../layers/lstm.js';
import { Sequential } from '../models/sequential.js';
import { Adam } from '../optimizers/adam.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const V = 4;
const T = 30;

/**
 * Sequences of T one-hot tokens: a signal token (0 or 1) first and last, random distractors
 * (2 or 3) in between; label 1 when the first token equals the last (half the samples). The
 * label is independent of every single token, so the network must carry the first token
 * across 28 distractor steps.
 */
function makeTask(n: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Random(seed);
  const xs = new Float32Array(n * T * V);
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const toks = Array.from({ length: T }, () => 2 + rng.int(2));
    const same = i % 2 === 0;
    toks[0] = rng.int(2);
    toks[T - 1] = same ? toks[0] : 1 - toks[0];
    ys[i] = same ? 1 : 0;
    toks.forEach((tok, t) => {
      xs[(i * T + t) * V + tok] = 1;
    });
  }
  return { x: tensor(xs, [n, T, V]), y: tensor(ys, [n], 'int32') };
}

describe('done-when: stacked bidirectional LSTM learns a memory task', () => {
  it('reaches >= 95% held-out accuracy on "first token == last token" over 30 steps', async () => {
    const t0 = performance.now();
    // Forget-gate bias 1 in total (0.5 in each of PyTorch's two biases), the usual memory-friendly start.
    const biasInitializer = (ctx: { shape: readonly number[] }, rng: Random) => {
      const H = ctx.shape[0] / 4;
      return Array.from({ length: 4 * H }, (_, i) =>
        i >= H && i < 2 * H ? 1 : rng.uniform(-1, 1) / Math.sqrt(H),
      );
    };
    const model = new Sequential([
      new LSTM({
        inputSize: V,
        hiddenSize: 12,
        numLayers: 2,
        bidirectional: true,
        returnSequences: false,
        seed: 1,
        biasInitializer,
      }),
      new Dense({ inputSize: 24, units: 2, seed: 2 }),
    ]);
    model.compile({
      optimizer: new Adam({ lr: 0.01, clipNorm: 1 }),
      loss: 'sparseCategoricalCrossEntropy',
      metrics: ['accuracy'],
    });
    const train = makeTask(1024, 1);
    const test = makeTask(512, 2);
    const val = makeTask(256, 3);
    // Training is deterministic (seeded init and shuffling), so this run always converges the same way.
    const h = await model.fit(train.x, train.y, {
      epochs: 50,
      batchSize: 32,
      seed: 0,
      verbose: 0,
      validationData: [val.x, val.y],
      callbacks: {
        onEpochEnd: (_e, logs) => void (logs.val_acc >= 0.99 && (model.stopTraining = true)),
      },
    });
    const { acc } = model.evaluate(test.x, test.y);
    console.log('memory task', {
      seconds: (performance.now() - t0) / 1000,
      acc,
      loss: h.history.loss,
    });
    expect(acc).toBeGreaterThanOrEqual(0.95);
  }, 120_000);
});
