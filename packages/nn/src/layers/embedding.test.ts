/**
 * Tests of `Embedding`: lookups, index errors and `paddingIdx`.
 */
import { DTypeError, dispose, sum, tensor, tidy, ValueError, variableGrads } from '@rnnkit/core';
import { describe, expect, test } from 'vitest';
import { expectClose, expectNoLeak, useCpu } from '../../test/helpers.js';
import { Embedding } from './embedding.js';
import { LSTM } from './lstm.js';
import { sequenceLengthsOf } from './sequence_input.js';

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

describe('Embedding paddingIdx (PyTorch padding_idx; Keras mask_zero = paddingIdx 0)', () => {
  test('the padding row starts at zero, embeds to zeros and gets no gradient', () => {
    const e = new Embedding({ numEmbeddings: 5, embeddingDim: 3, paddingIdx: 2, seed: 1 });
    expect(Array.from(e.stateDict().weight.data.slice(6, 9))).toEqual([0, 0, 0]);
    e.loadStateDict({
      weight: { shape: [5, 3], data: Array.from({ length: 15 }, (_, i) => i + 1) },
    });
    const idx = tensor(
      [
        [1, 2],
        [2, 4],
      ],
      [2, 2],
      'int32',
    );
    expect(e.apply(idx).arraySync()).toEqual([
      [
        [4, 5, 6],
        [0, 0, 0],
      ],
      [
        [0, 0, 0],
        [13, 14, 15],
      ],
    ]);
    const { value, grads } = variableGrads(() => sum(e.apply(idx)), e.parameters());
    expect(Array.from(grads[0].dataSync())).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
    dispose([value, ...grads]);
  });

  test('a [B, T] lookup carries the valid lengths; negative indices count from the end', () => {
    const e = new Embedding({ numEmbeddings: 6, embeddingDim: 2, paddingIdx: -1, seed: 1 });
    expect(e.paddingIdx).toBe(5);
    const out = e.apply(
      tensor(
        [
          [1, 2, 5],
          [3, 5, 5],
          [5, 5, 5],
        ],
        [3, 3],
        'int32',
      ),
    );
    expect(Array.from(sequenceLengthsOf(out) ?? [])).toEqual([2, 1, 0]);
    // explicit lengths win over the padding
    const given = e.apply(tensor([[1, 2, 5]], [1, 3], 'int32'), { lengths: [3] });
    expect(Array.from(sequenceLengthsOf(given) ?? [])).toEqual([3]);
    // without paddingIdx nothing is carried
    const plain = new Embedding({ numEmbeddings: 6, embeddingDim: 2, seed: 1 });
    expect(sequenceLengthsOf(plain.apply(tensor([[1, 0]], [1, 2], 'int32')))).toBeUndefined();
  });

  test('pre-padding is named when a recurrent layer would use it; bad options are refused', () => {
    const e = new Embedding({ numEmbeddings: 6, embeddingDim: 2, paddingIdx: 0, seed: 1 });
    const out = e.apply(tensor([[0, 0, 3]], [1, 3], 'int32'));
    expect(() => sequenceLengthsOf(out)).toThrow(/post-padding/);
    const lstm = new LSTM({ inputSize: 2, hiddenSize: 2, seed: 0 });
    expect(() => lstm.apply(out)).toThrow(/row 0 of the indices has token 3 at step 2/);
    expect(() => new Embedding({ numEmbeddings: 4, embeddingDim: 2, paddingIdx: 4 })).toThrow(
      /'paddingIdx' must be an integer in \[-4, 3\], got 4/,
    );
    expect(() => new Embedding({ numEmbeddings: 4, embeddingDim: 2, paddingIdx: 1.5 })).toThrow(
      ValueError,
    );
  });
});
