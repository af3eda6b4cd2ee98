// Padding never changes a prediction: a sentence alone and padded inside a batch score the
// same, on every backend, for every pooling, cell and direction setting.
import { setBackend } from '@rnnkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../src/backend.js';
import { type Cell, type Pool, SentimentClassifier } from '../src/model.js';
import { probabilities } from '../src/predict.js';
import type { SavedModel } from '../src/store.js';
import { DEFAULT_TOKENIZER } from '../src/tokenizer.js';
import { Vocabulary } from '../src/vocab.js';

// float32 sums in a different order (the batch changes the matrix products' blocking) differ
// by a few ulps of values near 1; 1e-5 is ~100 ulps, far below any effect of padding (which
// would move the probability by 1e-2 or more).
const TOL = 1e-5;

const vocab = new Vocabulary(['<pad>', '<unk>', ...Array.from({ length: 30 }, (_, i) => `w${i}`)]);

function saved(cell: Cell, pool: Pool, bidirectional: boolean, layers: number): SavedModel {
  const model = new SentimentClassifier({
    vocabSize: vocab.size,
    classes: 2,
    embed: 8,
    hidden: 6,
    layers,
    cell,
    bidirectional,
    pool,
    dropout: 0,
    seed: 3,
  });
  return {
    model,
    vocab,
    meta: {
      format: 'rnnkit-sentiment',
      version: 1,
      labels: ['neg', 'pos'],
      tokenizer: DEFAULT_TOKENIZER,
      config: model.spec,
      training: {},
    },
  };
}

const sentence = [5, 9, 2, 17, 4];
const others = [[3, 8, 11, 12, 20, 21, 22, 23, 30, 31, 6], [7], [14, 15, 16, 18, 19, 25, 26]];

for (const backend of ['cpu', 'wasm', 'gpujs'] as const) {
  describe(`padding invariance on ${backend}`, () => {
    afterAll(async () => {
      await setBackend('cpu');
    });
    const cases: [Cell, Pool, boolean, number][] = [
      ['lstm', 'max', true, 1],
      ['lstm', 'mean', false, 2],
      ['gru', 'last', true, 2],
      ['gru', 'max', false, 1],
      ['lstm', 'last', false, 1],
    ];
    for (const [cell, pool, bi, layers] of cases) {
      it(`${bi ? 'bi' : ''}${cell} ×${layers}, ${pool} pooling`, async () => {
        const runsOn = await useBackend(backend);
        // never pass on gpu.js's CPU fallback: the GL kernels must be what ran
        expect(runsOn).not.toMatch(/fallback/);
        const s = saved(cell, pool, bi, layers);
        try {
          const [alone] = probabilities(s, [sentence]);
          const batch = probabilities(s, [others[0], sentence, ...others.slice(1)]);
          expect(Math.abs(batch[1][1] - alone[1])).toBeLessThan(TOL);
          // the batch really was padded: its longest sentence is longer than ours
          expect(Math.max(...others.map((o) => o.length))).toBeGreaterThan(sentence.length);
        } finally {
          s.model.dispose();
        }
      });
    }
  });
}
