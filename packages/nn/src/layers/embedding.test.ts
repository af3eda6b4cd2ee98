import { DTypeError, dispose, sum, tensor, tidy, ValueError, variableGrads } from '@rnnkit/core';
import { describe, expect, test } from 'vitest';
import { expectClose, expectNoLeak, useCpu } from '../../test/helpers.js';
import { Embedding } from './embedding.js';

useCpu();

describe('Embedding', () => {
  test('weight [N, D], paramCount, lookup of any index shape', () => {
    const e = new Embedding({ numEmbeddings: 4, embeddingDim: 2, dtype: 'float64', seed: 1 });
    expect([...e.namedParameters().keys()]).toEqual(['weight']);
    expect(e.paramCount()).toBe(8);
    e.loadStateDict({ weight: { shape: [4, 2], data: [0, 1, 10, 11, 20, 21, 30, 31] } });
    const idx = tensor(
      [
        [3, 0, 1],
        [1, 1, 2],
      ],
      [2, 3],
      'int32',
    );
    expectClose(
      e.apply(idx),
      {
        shape: [2, 3, 2],
        data: [
          [
            [30, 31],
            [0, 1],
            [10, 11],
          ],
          [
            [10, 11],
            [10, 11],
            [20, 21],
          ],
        ],
      },
      0,
    );
    const scalarIdx = tensor([2], [], 'int32');
    expectClose(e.apply(scalarIdx), { shape: [2], data: [20, 21] }, 0);
    dispose([idx, scalarIdx]);
    e.dispose();
  });

  test('gradient accumulates repeated indices; no leaks', () => {
    const e = new Embedding({ numEmbeddings: 3, embeddingDim: 2, dtype: 'float64', seed: 1 });
    const idx = tensor([1, 1, 2], [3], 'int32');
    const { grads, value } = variableGrads(() => sum(e.apply(idx)), e.parameters());
    expectClose(grads[0], { shape: [3, 2], data: [0, 0, 2, 2, 1, 1] }, 0);
    dispose([grads, value]);
    expectNoLeak(() =>
      tidy(() => variableGrads(() => sum(e.apply(idx)), e.parameters()).grads[0]).dispose(),
    );
    idx.dispose();
    e.dispose();
  });

  test('same seed ⇒ same table (N(0, 1) by default)', () => {
    const a = new Embedding({ numEmbeddings: 50, embeddingDim: 20, seed: 5 });
    const b = new Embedding({ numEmbeddings: 50, embeddingDim: 20, seed: 5 });
    const va = Array.from(a.parameters()[0].dataSync());
    expect(va).toEqual(Array.from(b.parameters()[0].dataSync()));
    const mean = va.reduce((s, v) => s + v, 0) / va.length;
    const std = Math.sqrt(va.reduce((s, v) => s + (v - mean) ** 2, 0) / va.length);
    expect(Math.abs(mean)).toBeLessThan(0.15);
    expect(Math.abs(std - 1)).toBeLessThan(0.15);
    a.dispose();
    b.dispose();
  });

  test('clear errors', () => {
    const e = new Embedding({ numEmbeddings: 3, embeddingDim: 2 });
    const f = tensor([0, 1], [2], 'float32');
    const big = tensor([0, 3], [2], 'int32');
    expect(() => e.apply(f)).toThrow(DTypeError);
    expect(() => e.apply(big)).toThrow(/holds 3 at flat index 1; expected a value in \[0, 2\]/);
    expect(() => new Embedding({ numEmbeddings: 0, embeddingDim: 2 })).toThrow(ValueError);
    dispose([f, big]);
    e.dispose();
  });
});
