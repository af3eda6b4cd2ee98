// Training end to end on small data: a synthetic task, a Movie Review subset, save → load →
// predict, and pretraining's transfer into the classifier.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Random } from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../src/backend.js';
import { type Dataset, DEFAULT_DATA, loadDataset } from '../src/data.js';
import { stratifiedFolds } from '../src/folds.js';
import { SentimentClassifier } from '../src/model.js';
import {
  DEFAULT_FLAGS,
  encodeRows,
  type ModelFlags,
  tokenizeAll,
  trainOnRows,
} from '../src/pipeline.js';
import { probabilities } from '../src/predict.js';
import { pretrainClassifier } from '../src/pretrain.js';
import { loadModelDirectory, saveModelDirectory } from '../src/store.js';
import { argmax } from '../src/train.js';

const quiet = { info: () => {}, verbose: 0 as const };
// small data keeps every word (the default minimum count of 2 is tuned for the full data set)
const small: ModelFlags = {
  ...DEFAULT_FLAGS,
  minCount: 1,
  embed: 16,
  hidden: 16,
  epochs: 8,
  batchSize: 20,
  lr: 5e-3,
  patience: 3,
  dropout: 0.1,
  wordDropout: 0,
};

/** Sentences of filler words with one "good" or "bad" word somewhere: label = which. */
function synthetic(n: number, seed: number): Dataset {
  const rng = new Random(seed);
  const pick = (k: number) => Math.floor(rng.next() * k);
  const texts: string[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const words = Array.from({ length: 3 + pick(10) }, () => `filler${pick(30)}`);
    const label = i % 2;
    words.splice(pick(words.length + 1), 0, label === 1 ? `good${pick(5)}` : `bad${pick(5)}`);
    texts.push(words.join(' '));
    y.push(label);
  }
  return { labels: ['neg', 'pos'], texts, y };
}

function accuracy(
  trained: Awaited<ReturnType<typeof trainOnRows>>,
  tokens: string[][],
  y: number[],
  rows: number[],
): number {
  const test = encodeRows(tokens, y, rows, trained.saved.vocab);
  const pred = probabilities(trained.saved, test.ids).map(argmax);
  return pred.filter((p, i) => p === test.y[i]).length / rows.length;
}

beforeAll(async () => {
  await useBackend('wasm');
});

describe('training', () => {
  it('learns a synthetic keyword task to ≥ 95 % held-out accuracy', async () => {
    const data = synthetic(500, 1);
    const tokens = tokenizeAll(data.texts);
    const rows = data.texts.map((_, i) => i);
    const trained = await trainOnRows(data, tokens, rows.slice(0, 400), small, quiet);
    try {
      expect(accuracy(trained, tokens, data.y, rows.slice(400))).toBeGreaterThanOrEqual(0.95);
      const h = trained.result.history.history;
      expect(h.val_loss[trained.result.bestEpoch]).toBe(Math.min(...h.val_loss));
    } finally {
      trained.saved.model.dispose();
    }
  });

  it('reaches ≥ 65 % on a Movie Review subset (1,600 training sentences, 400 held out)', async () => {
    const mr = loadDataset([DEFAULT_DATA]);
    const fold = stratifiedFolds(mr.y, 5, 1);
    // 2,133 sentences of both classes (the files hold all negatives first: shuffle them)
    const rows = new Random(4).shuffle(mr.y.map((_, i) => i).filter((i) => fold[i] === 0));
    const tokens = tokenizeAll(mr.texts);
    const trained = await trainOnRows(
      mr,
      tokens,
      rows.slice(0, 1600),
      { ...small, embed: 32, hidden: 32, epochs: 3, lr: 5e-3, dropout: 0.3, pool: 'mean' },
      quiet,
    );
    try {
      expect(accuracy(trained, tokens, mr.y, rows.slice(1600, 2000))).toBeGreaterThanOrEqual(0.65);
    } finally {
      trained.saved.model.dispose();
    }
  });

  it('saves and loads a model that predicts identically', async () => {
    const data = synthetic(120, 2);
    const tokens = tokenizeAll(data.texts);
    const trained = await trainOnRows(
      data,
      tokens,
      data.texts.map((_, i) => i),
      { ...small, epochs: 1 },
      quiet,
    );
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'sentiment-model-')), 'm');
    await saveModelDirectory(dir, trained.saved);
    const loaded = await loadModelDirectory(dir);
    try {
      const ids = tokens.slice(0, 20).map((t) => trained.saved.vocab.encode(t));
      expect(loaded.vocab.tokens).toEqual(trained.saved.vocab.tokens);
      expect(loaded.meta.labels).toEqual(['neg', 'pos']);
      expect(probabilities(loaded, ids)).toEqual(probabilities(trained.saved, ids));
      // saving again over an existing model replaces it whole
      await saveModelDirectory(dir, trained.saved);
      expect((await loadModelDirectory(dir)).vocab.size).toBe(trained.saved.vocab.size);
    } finally {
      trained.saved.model.dispose();
      loaded.model.dispose();
    }
  });
});

describe('pretraining', () => {
  it('trains forward and backward language models and initialises the classifier from them', async () => {
    const data = synthetic(200, 3);
    const trained = await trainOnRows(
      data,
      tokenizeAll(data.texts),
      data.texts.map((_, i) => i),
      { ...small, epochs: 1 },
      quiet,
    );
    const vocab = trained.saved.vocab;
    trained.saved.model.dispose();
    const ids = tokenizeAll(data.texts).map((t) => vocab.encode(t));
    const model = new SentimentClassifier({ ...trained.saved.meta.config, seed: 9 });
    try {
      const before = model.stateDict();
      const r = await pretrainClassifier(model, ids, {
        epochs: 3,
        negatives: 10,
        batchSize: 20,
        lr: 1e-2,
        seed: 1,
        verbose: 0,
      });
      expect(r.loss[2]).toBeLessThan(r.loss[0]);
      expect(r.transferred.sort()).toEqual(
        [
          'embedding.weight',
          ...['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0'].flatMap((n) => [
            `rnn.${n}`,
            `rnn.${n}_reverse`,
          ]),
        ].sort(),
      );
      const after = model.stateDict();
      for (const name of r.transferred) expect(after[name].data).not.toEqual(before[name].data);
      expect(after['head.weight'].data).toEqual(before['head.weight'].data);
    } finally {
      model.dispose();
    }
  });
});
