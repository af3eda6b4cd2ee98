/**
 * Padding invariance on every backend: a many-to-one model gives the same output for a
 * sentence alone and for it padded inside a batch — through `Sequential`, a hand-written
 * `Model` and `predict` with `lengths`. gpujs needs a GL context (run under Xvfb: the package's
 * test script does).
 */
import '@rnnkit/backend-cpu';
import '@rnnkit/backend-gpujs';
import '@rnnkit/backend-wasm';
import { initBackend, setBackend, type Tensor, tensor, tidy } from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Bidirectional,
  Dense,
  Embedding,
  type ForwardOptions,
  GRU,
  LSTM,
  Model,
  Sequential,
  SimpleRNN,
} from '../src/index.js';

// Float32 kernels may sum a row in another order when the batch differs; a few ulps of values
// of order 1 stay far below 1e-5.
const TOL = 1e-5;
const PAD = 0;
const sentences = [
  [4, 9, 2, 7, 3],
  [5, 1],
  [8, 6, 6],
];
const T = 6; // longer than every sentence: every row of the batch is padded

function padded(rows: number[][], steps: number): Tensor {
  const ids = new Int32Array(rows.length * steps).fill(PAD);
  rows.forEach((r, b) => ids.set(r, b * steps));
  return tensor(ids, [rows.length, steps], 'int32');
}

function expectRowsMatchAlone(run: (ids: Tensor) => Tensor): void {
  const batch = tidy(() => run(padded(sentences, T)));
  const rows = batch.arraySync() as number[][];
  sentences.forEach((s, b) => {
    const alone = tidy(() => run(padded([s], s.length)));
    const want = (alone.arraySync() as number[][])[0];
    const diff = Math.max(...want.map((v, i) => Math.abs(v - rows[b][i])));
    expect(diff, `sentence ${b}`).toBeLessThanOrEqual(TOL);
    alone.dispose();
  });
  batch.dispose();
}

class Classifier extends Model {
  static override readonly className = 'PaddingClassifier';
  readonly embed = this.register(
    'embed',
    new Embedding({ numEmbeddings: 10, embeddingDim: 5, paddingIdx: PAD, seed: 1 }),
  );
  readonly lower = this.register('lower', new LSTM({ inputSize: 5, hiddenSize: 6, seed: 2 }));
  readonly upper = this.register(
    'upper',
    new GRU({ inputSize: 6, hiddenSize: 4, returnSequences: false, seed: 3 }),
  );
  readonly head = this.register('head', new Dense({ inputSize: 4, units: 2, seed: 4 }));

  forward(ids: Tensor, options: ForwardOptions = {}): Tensor {
    return this.head.apply(this.upper.apply(this.lower.apply(this.embed.apply(ids), options)));
  }
}

for (const backend of ['cpu', 'wasm', 'gpujs'] as const) {
  describe(`padding invariance on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend('cpu');
      await setBackend(backend);
    });

    it('Sequential: Embedding(paddingIdx) → LSTM → Dense', () => {
      const model = new Sequential([
        new Embedding({ numEmbeddings: 10, embeddingDim: 5, paddingIdx: PAD, seed: 1 }),
        new LSTM({ inputSize: 5, hiddenSize: 7, returnSequences: false, seed: 2 }),
        new Dense({ inputSize: 7, units: 3, seed: 3 }),
      ]);
      expectRowsMatchAlone((ids) => model.apply(ids));
      expectRowsMatchAlone((ids) => model.predict(ids, { batchSize: 2 }));
      model.dispose();
    });

    it('Sequential: Embedding(paddingIdx) → Bidirectional(GRU) → Dense', () => {
      const model = new Sequential([
        new Embedding({ numEmbeddings: 10, embeddingDim: 5, paddingIdx: PAD, seed: 1 }),
        new Bidirectional(
          new GRU({ inputSize: 5, hiddenSize: 4, returnSequences: false, seed: 2 }),
        ),
        new Dense({ inputSize: 8, units: 3, seed: 3 }),
      ]);
      expectRowsMatchAlone((ids) => model.apply(ids));
      model.dispose();
    });

    it('a hand-written Model: the lengths flow through two recurrent layers', () => {
      const model = new Classifier();
      expectRowsMatchAlone((ids) => model.apply(ids));
      model.dispose();
    });

    it('predict with lengths, on float features without an Embedding', () => {
      const model = new Sequential([
        new SimpleRNN({ inputSize: 1, hiddenSize: 5, returnSequences: false, seed: 1 }),
        new Dense({ inputSize: 5, units: 2, seed: 2 }),
      ]);
      const features = (ids: Tensor) => {
        const [B, S] = ids.shape;
        return tensor(
          Float32Array.from(ids.dataSync(), (v) => v / 10),
          [B, S, 1],
        );
      };
      expectRowsMatchAlone((ids) => {
        const lengths = ids.shape[0] === 1 ? undefined : sentences.map((s) => s.length);
        return model.predict(features(ids), { lengths });
      });
      model.dispose();
    });
  });
}
