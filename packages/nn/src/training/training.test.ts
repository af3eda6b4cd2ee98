/**
 * Tests of training: fit, trainOnBatch, evaluate, predict, the progress bar, lengths, metric keys
 * and BPTT batches.
 */
import '@rnnkit/backend-cpu';
import { memory, Random, setBackend, type Tensor, tensor } from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { Embedding } from '../layers/embedding.js';
import { LSTM } from '../layers/lstm.js';
import { Sequential } from '../models/sequential.js';
import { Adam } from '../optimizers/adam.js';
import { SGD } from '../optimizers/sgd.js';
import {
  BestCheckpoint,
  bpttBatches,
  bpttLayoutOf,
  EarlyStopping,
  ProgressBar,
  padSequences,
} from './index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

function data(n: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Random(seed);
  const xs = new Float32Array(n * 5 * 3);
  const ys = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < 15; j++) s += xs[i * 15 + j] = rng.uniform(-1, 1);
    ys[i] = s > 0 ? 1 : 0;
  }
  return { x: tensor(xs, [n, 5, 3]), y: tensor(ys, [n], 'int32') };
}

function makeModel(seed: number, dropout = 0): Sequential {
  return new Sequential([
    new LSTM({ inputSize: 3, hiddenSize: 6, returnSequences: false, seed }),
    new Dropout({ rate: dropout, seed: seed + 1 }),
    new Dense({ inputSize: 6, units: 2, seed: seed + 2 }),
  ]);
}

describe('fit', () => {
  it('returns a history with loss, metrics and validation values; leaks no tensors across epochs', async () => {
    const { x, y } = data(96, 1);
    const model = makeModel(1);
    model.compile({
      optimizer: new Adam({ lr: 0.02, clipNorm: 5 }),
      loss: 'sparseCategoricalCrossEntropy',
      metrics: ['accuracy'],
    });
    const counts: number[] = [];
    const batches: number[] = [];
    const h = await model.fit(x, y, {
      epochs: 10,
      batchSize: 16,
      validationSplit: 0.25,
      verbose: 0,
      callbacks: [
        { onEpochEnd: () => void counts.push(memory().numTensors) },
        { onBatchEnd: (b, logs) => void batches.push(b, logs.loss) },
      ],
    });
    expect(h.epoch).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Object.keys(h.history).sort()).toEqual([
      'acc',
      'accuracy',
      'loss',
      'val_acc',
      'val_accuracy',
      'val_loss',
    ]);
    expect(batches.length).toBe(10 * Math.ceil(72 / 16) * 2);
    expect(counts[9]).toBe(counts[0]);
    expect(h.history.loss[9]).toBeLessThan(h.history.loss[0]);
    model.dispose();
  });

  it('is deterministic: same seeds, same backend → same loss curve (with dropout)', async () => {
    const curve = async () => {
      const { x, y } = data(64, 2);
      const model = makeModel(5, 0.3);
      model.compile({ optimizer: new Adam({ lr: 0.01 }), loss: 'sparseCategoricalCrossEntropy' });
      const h = await model.fit(x, y, { epochs: 4, batchSize: 8, seed: 42, verbose: 0 });
      model.dispose();
      return h.history.loss;
    };
    const a = await curve();
    const b = await curve();
    expect(a).toEqual(b);
    const { x, y } = data(64, 2);
    const other = makeModel(5, 0.3);
    other.compile({ optimizer: new Adam({ lr: 0.01 }), loss: 'sparseCategoricalCrossEntropy' });
    const c = (await other.fit(x, y, { epochs: 4, batchSize: 8, seed: 43, verbose: 0 })).history
      .loss;
    expect(c).not.toEqual(a);
  });

  it('early stopping ends training and restores the best weights', async () => {
    const { x, y } = data(64, 3);
    const val = data(32, 4);
    const model = makeModel(2);
    // a learning rate this large makes validation loss bounce, so patience runs out
    model.compile({ optimizer: new SGD({ lr: 3 }), loss: 'sparseCategoricalCrossEntropy' });
    const stop = new EarlyStopping({ patience: 1, restoreBestWeights: true });
    const h = await model.fit(x, y, {
      epochs: 40,
      batchSize: 16,
      validationData: [val.x, val.y],
      callbacks: [stop],
      verbose: 0,
    });
    expect(stop.stoppedEpoch).toBeGreaterThan(0);
    expect(h.epoch.length).toBe(stop.stoppedEpoch + 1);
    const best = Math.min(...h.history.val_loss);
    expect(h.history.val_loss[stop.bestEpoch]).toBe(best);
    expect(model.evaluate(val.x, val.y).loss).toBeCloseTo(best, 5);
    model.dispose();
  });

  it('best checkpoint keeps and restores the best epoch and calls its save hook', async () => {
    const { x, y } = data(64, 5);
    const val = data(32, 6);
    const model = makeModel(3);
    model.compile({
      optimizer: new SGD({ lr: 2 }),
      loss: 'sparseCategoricalCrossEntropy',
      metrics: ['accuracy'],
    });
    const saved: number[] = [];
    const ckpt = new BestCheckpoint({
      monitor: 'val_loss',
      save: (_m, epoch) => void saved.push(epoch),
    });
    const h = await model.fit(x, y, {
      epochs: 8,
      batchSize: 16,
      validationData: [val.x, val.y],
      callbacks: [ckpt],
      verbose: 0,
    });
    const best = Math.min(...h.history.val_loss);
    expect(ckpt.bestValue).toBe(best);
    expect(saved[saved.length - 1]).toBe(ckpt.bestEpoch);
    expect(model.evaluate(val.x, val.y).loss).toBeCloseTo(best, 5);
    ckpt.dispose();
    model.dispose();
  });

  it('monitoring a key that does not exist is a clear error', async () => {
    const { x, y } = data(16, 7);
    const model = makeModel(4);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossEntropy' });
    await expect(
      model.fit(x, y, { epochs: 1, callbacks: [new EarlyStopping()], verbose: 0 }),
    ).rejects.toThrow(/val_loss/);
    model.dispose();
  });
});

describe('trainOnBatch, evaluate, predict', () => {
  it('trainOnBatch lowers the loss of that batch; predict concatenates batches', () => {
    const { x, y } = data(20, 8);
    const model = makeModel(6);
    model.compile({
      optimizer: new Adam({ lr: 0.05 }),
      loss: 'sparseCategoricalCrossEntropy',
      metrics: ['accuracy'],
    });
    const first = model.trainOnBatch(x, y);
    for (let i = 0; i < 20; i++) model.trainOnBatch(x, y);
    expect(model.evaluate(x, y).loss).toBeLessThan(first.loss);
    expect(first.acc).toBeGreaterThanOrEqual(0);
    const p = model.predict(x, { batchSize: 7 });
    expect(p.shape).toEqual([20, 2]);
    expect(Array.from(p.dataSync())).toEqual(Array.from(model.apply(x).dataSync()));
    model.dispose();
  });
});

describe('progress bar', () => {
  const sink = (isTTY: boolean) => {
    const out: string[] = [];
    return { out, stream: { isTTY, columns: 120, write: (s: string) => void out.push(s) } };
  };
  it('draws loss, metric, steps/s and ETA on a TTY', async () => {
    const { x, y } = data(32, 9);
    const model = makeModel(7);
    model.compile({
      optimizer: 'adam',
      loss: 'sparseCategoricalCrossEntropy',
      metrics: ['accuracy'],
    });
    const { out, stream } = sink(true);
    await model.fit(x, y, { epochs: 2, batchSize: 8, progressStream: stream });
    const text = out.join('');
    expect(text).toMatch(/Epoch 1\/2 \[/);
    expect(text).toMatch(/steps\/s · ETA/);
    expect(text).toMatch(/loss \d\.\d{4} · accuracy \d\.\d{4} · \d/); // the alias 'acc' is not repeated
    expect(text).toMatch(/Epoch 2\/2 4\/4/);
    model.dispose();
  });
  it('is silent when not a TTY or with verbose 0; verbose 2 prints one line per epoch', async () => {
    const { x, y } = data(16, 10);
    const model = makeModel(8);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossEntropy' });
    const a = sink(false);
    await model.fit(x, y, { epochs: 2, batchSize: 8, progressStream: a.stream });
    expect(a.out).toEqual([]);
    const b = sink(true);
    await model.fit(x, y, { epochs: 2, batchSize: 8, progressStream: b.stream, verbose: 0 });
    expect(b.out).toEqual([]);
    const c = sink(false);
    await model.fit(x, y, { epochs: 2, batchSize: 8, progressStream: c.stream, verbose: 2 });
    expect(c.out.length).toBe(2);
    expect(c.out[1]).toMatch(/^Epoch 2\/2 2\/2 loss/);
    model.dispose();
  });
  it('formats a line with ETA from a fake clock', () => {
    let now = 0;
    const bar = new ProgressBar({ stream: { isTTY: true, write: () => 0 }, now: () => now });
    bar.setParams({ epochs: 3, steps: 10, samples: 100, batchSize: 10, verbose: 1 });
    bar.onEpochBegin(0);
    bar.onBatchEnd(0, { loss: 0.5 });
    bar.onBatchEnd(1, { loss: 0.3 });
    now = 1000;
    expect(bar.line(2, now)).toBe('Epoch 1/3 [=>        ] 2/10 loss 0.4000 · 2.0 steps/s · ETA 4s');
  });
});

describe('input lengths in fit / evaluate / predict', () => {
  // Per-step tagging: the targets of padded steps are garbage (9s) that must not count.
  const ids = tensor(
    [
      [1, 2, 3, 0],
      [4, 5, 0, 0],
      [6, 0, 0, 0],
    ],
    [3, 4],
    'int32',
  );
  const tags = tensor(
    [
      [0, 1, 0, 9],
      [1, 0, 9, 9],
      [1, 9, 9, 9],
    ],
    [3, 4],
    'int32',
  );
  const lossMask = tensor(
    [
      [1, 1, 1, 0],
      [1, 1, 0, 0],
      [1, 0, 0, 0],
    ],
    [3, 4],
  );
  const tagger = (paddingIdx?: number) =>
    new Sequential([
      new Embedding({ numEmbeddings: 7, embeddingDim: 4, paddingIdx, seed: 1 }),
      new LSTM({ inputSize: 4, hiddenSize: 5, seed: 2 }),
      new Dense({ inputSize: 5, units: 10, seed: 3 }),
    ]);
  const compile = (m: Sequential) =>
    m.compile({
      optimizer: new SGD({ lr: 0.1 }),
      loss: 'sparseCategoricalCrossEntropy',
      metrics: ['accuracy'],
    });

  it('the lengths from paddingIdx, lengths or inputMask mask per-step targets like an explicit loss mask', async () => {
    const reference = tagger();
    compile(reference);
    const want = reference.evaluate(ids, tags, { mask: lossMask, lengths: [3, 2, 1] });
    for (const [model, opts] of [
      [tagger(0), {}],
      [tagger(), { lengths: [3, 2, 1] }],
      [tagger(), { inputMask: lossMask }],
    ] as const) {
      compile(model);
      const logs = model.evaluate(ids, tags, opts);
      expect(logs.loss).toBeCloseTo(want.loss, 5);
      expect(logs.acc).toBeCloseTo(want.acc, 5);
      const h = await model.fit(ids, tags, {
        ...opts,
        epochs: 2,
        batchSize: 2,
        shuffle: false,
        verbose: 0,
      });
      expect(Number.isFinite(h.history.loss[1])).toBe(true);
    }
    await reference.fit(ids, tags, {
      mask: lossMask,
      lengths: [3, 2, 1],
      epochs: 2,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
    });
    const trained = tagger();
    compile(trained);
    await trained.fit(ids, tags, {
      lengths: [3, 2, 1],
      epochs: 2,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
    });
    expect(trained.predict(ids, { lengths: [3, 2, 1] }).arraySync()).toEqual(
      reference.predict(ids, { lengths: [3, 2, 1] }).arraySync(),
    );
  });

  it('names the options and both sides of a mismatch', () => {
    const model = tagger();
    compile(model);
    expect(() => model.predict(ids, { lengths: [3, 2] })).toThrow(
      /option 'lengths' has 2 entries but 'x' has batch size 3/,
    );
    expect(() => model.predict(ids, { lengths: [5, 2, 1] })).toThrow(
      /lengths\[0\] is 5; expected an integer in \[0, 4\]/,
    );
    expect(() => model.evaluate(ids, tensor([0, 1, 0, 1], [4], 'int32'))).toThrow(
      /y has 4 samples on axis 0 \(shape \[4\]\) but x has 3/,
    );
  });
});

describe('metric keys', () => {
  it('are the names asked for, for every metric, in fit, evaluate and trainOnBatch', async () => {
    const { x, y } = data(32, 4);
    for (const [asked, keys] of [
      ['accuracy', ['accuracy', 'acc']],
      ['acc', ['acc']],
      ['perplexity', ['perplexity']],
    ] as const) {
      const model = makeModel(2);
      model.compile({
        optimizer: new SGD({ lr: 0.1 }),
        loss: 'sparseCategoricalCrossEntropy',
        metrics: [asked],
      });
      const h = await model.fit(x, y, {
        epochs: 1,
        batchSize: 16,
        validationSplit: 0.25,
        verbose: 0,
      });
      expect(Object.keys(h.history).sort()).toEqual(
        ['loss', 'val_loss', ...keys, ...keys.map((k) => `val_${k}`)].sort(),
      );
      expect(Object.keys(model.evaluate(x, y)).sort()).toEqual(['loss', ...keys].sort());
      expect(Object.keys(model.trainOnBatch(x, y)).sort()).toEqual(['loss', ...keys].sort());
    }
  });
});

describe('bpttBatches layout', () => {
  it('carries its batch size; fit on a stateful model takes it and refuses another', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => (i * 5) % 7);
    const { x, y, batchSize, seqLen } = bpttBatches(ids, { batchSize: 3, seqLen: 5 });
    expect([batchSize, seqLen]).toEqual([3, 5]);
    expect(bpttLayoutOf(x)).toEqual({ batchSize: 3, seqLen: 5 });
    const lm = new Sequential([
      new Embedding({ numEmbeddings: 7, embeddingDim: 4, seed: 0 }),
      new LSTM({ inputSize: 4, hiddenSize: 6, stateful: true, seed: 1 }),
      new Dense({ inputSize: 6, units: 7, seed: 2 }),
    ]);
    lm.compile({ optimizer: new SGD({ lr: 0.1 }), loss: 'sparseCategoricalCrossEntropy' });
    await expect(lm.fit(x, y, { batchSize: 4, verbose: 0 })).rejects.toThrow(
      /option 'batchSize' is 4 but x was laid out by bpttBatches for 3 lanes/,
    );
    const batches: number[] = [];
    await lm.fit(x, y, {
      epochs: 1,
      verbose: 0,
      callbacks: { setParams: (p) => void batches.push(p.batchSize, p.steps) },
    });
    expect(batches).toEqual([3, x.shape[0] / 3]);
  });
});

describe('compile', () => {
  it('warns once when the last layer applies softmax and the loss takes logits', () => {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (message: string) => void warnings.push(message);
    try {
      const probs = new Sequential([
        new LSTM({ inputSize: 3, hiddenSize: 4, returnSequences: false, seed: 0 }),
        new Dense({ inputSize: 4, units: 2, activation: 'softmax', seed: 1 }),
      ]);
      probs.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossEntropy' });
      probs.compile({ optimizer: 'sgd', loss: 'categoricalCrossEntropy' });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /applies softmax, but loss 'sparseCategoricalCrossEntropy' expects logits/,
      );
      const logits = new Sequential([new Dense({ inputSize: 4, units: 2, seed: 1 })]);
      logits.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossEntropy' });
      const regression = new Sequential([
        new Dense({ inputSize: 4, units: 2, activation: 'softmax' }),
      ]);
      regression.compile({ optimizer: 'sgd', loss: 'mse' });
      expect(warnings).toHaveLength(1);
    } finally {
      console.warn = original;
    }
  });
});

describe('padSequences', () => {
  it('post-pads to the longest (or maxLength) and refuses what it would have to cut', () => {
    expect(padSequences([[5, 2, 7], [3]]).arraySync()).toEqual([
      [5, 2, 7],
      [3, 0, 0],
    ]);
    expect(padSequences([[1]], { maxLength: 2, value: 4 }).arraySync()).toEqual([[1, 4]]);
    expect(padSequences([[1]]).dtype).toBe('int32');
    expect(() => padSequences([[1, 2, 3]], { maxLength: 2 })).toThrow(
      /sequences\[0\] has 3 tokens but option 'maxLength' is 2/,
    );
    expect(() => padSequences([])).toThrow(/non-empty/);
  });
});
