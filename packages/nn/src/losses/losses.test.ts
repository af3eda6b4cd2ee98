/**
 * Tests of the losses: values, gradients, masks, reductions and lookup by name.
 */
import '@rnnkit/backend-cpu';
import { grad, memory, setBackend, softmax, tensor, tidy } from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  binaryCrossEntropyWithLogits,
  categoricalCrossEntropy,
  getLoss,
  meanSquaredError,
  sparseCategoricalCrossEntropy,
} from './index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const lse = (row: number[]) => {
  const m = Math.max(...row);
  return m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
};

describe('sparseCategoricalCrossEntropy', () => {
  const logits = [
    [1, 2, 3],
    [0.5, -1, 2],
  ];
  const labels = [2, 0];
  const nll = logits.map((r, i) => lse(r) - r[labels[i]]);

  it('matches logsumexp - logit[label], averaged', () => {
    const v = sparseCategoricalCrossEntropy(
      tensor(logits, undefined, 'float64'),
      tensor(labels, [2], 'int32'),
    ).item();
    expect(v).toBeCloseTo((nll[0] + nll[1]) / 2, 12);
  });

  it('is finite for huge logits (log-sum-exp)', () => {
    const v = sparseCategoricalCrossEntropy(
      tensor([[1e4, 0, -1e4]]),
      tensor([1], [1], 'int32'),
    ).item();
    expect(v).toBeCloseTo(1e4, 0);
    expect(Number.isFinite(v)).toBe(true);
  });

  it('weights classes like PyTorch (sum w·l / sum w)', () => {
    const w = [0.2, 1, 3];
    const v = sparseCategoricalCrossEntropy(
      tensor(logits, undefined, 'float64'),
      tensor(labels, [2], 'int32'),
      {
        classWeights: w,
      },
    ).item();
    expect(v).toBeCloseTo((w[2] * nll[0] + w[0] * nll[1]) / (w[2] + w[0]), 12);
  });

  it('ignores masked (padded) time steps', () => {
    const seq = tensor([[logits[0], logits[1], [100, -100, 0]]], undefined, 'float64'); // [1, 3, 3]
    const lab = tensor([[2, 0, 1]], [1, 3], 'int32');
    const mask = tensor([[1, 1, 0]], [1, 3]);
    const v = sparseCategoricalCrossEntropy(seq, lab, { mask }).item();
    expect(v).toBeCloseTo((nll[0] + nll[1]) / 2, 12);
    const s = sparseCategoricalCrossEntropy(seq, lab, { mask, reduction: 'sum' }).item();
    expect(s).toBeCloseTo(nll[0] + nll[1], 12);
    const none = sparseCategoricalCrossEntropy(seq, lab, { mask, reduction: 'none' });
    expect(none.shape).toEqual([1, 3]);
    expect(none.dataSync()[2]).toBe(0);
  });

  it('has gradient (softmax - onehot) / N', () => {
    const x = tensor(logits, undefined, 'float64');
    const g = grad((l) => sparseCategoricalCrossEntropy(l, tensor(labels, [2], 'int32')))(x);
    const p = softmax(x).arraySync() as number[][];
    const expected = p.map((row, i) => row.map((v, c) => (v - (c === labels[i] ? 1 : 0)) / 2));
    (g.arraySync() as number[][]).forEach((row, i) =>
      row.forEach((v, c) => expect(v).toBeCloseTo(expected[i][c], 12)),
    );
  });

  it('rejects float labels and wrong shapes', () => {
    expect(() => sparseCategoricalCrossEntropy(tensor(logits), tensor([2, 0]))).toThrow(/int32/);
    expect(() => sparseCategoricalCrossEntropy(tensor(logits), tensor([2], [1], 'int32'))).toThrow(
      /shape/,
    );
  });
});

describe('categoricalCrossEntropy', () => {
  it('equals the sparse loss on one-hot targets and handles soft targets', () => {
    const logits = tensor(
      [
        [1, 2, 3],
        [0.5, -1, 2],
      ],
      undefined,
      'float64',
    );
    const oneHot = tensor(
      [
        [0, 0, 1],
        [1, 0, 0],
      ],
      undefined,
      'float64',
    );
    const a = categoricalCrossEntropy(logits, oneHot).item();
    const b = sparseCategoricalCrossEntropy(logits, tensor([2, 0], [2], 'int32')).item();
    expect(a).toBeCloseTo(b, 12);
    const soft = categoricalCrossEntropy(
      tensor([[1, 2, 3]], undefined, 'float64'),
      tensor([[0.25, 0.25, 0.5]], undefined, 'float64'),
    ).item();
    const l = lse([1, 2, 3]);
    expect(soft).toBeCloseTo(0.25 * (l - 1) + 0.25 * (l - 2) + 0.5 * (l - 3), 12);
  });

  it('applies class weights inside the sum and divides by N (PyTorch)', () => {
    const v = categoricalCrossEntropy(
      tensor([[1, 2, 3]], undefined, 'float64'),
      tensor([[0.5, 0, 0.5]], undefined, 'float64'),
      {
        classWeights: [2, 1, 4],
      },
    ).item();
    const l = lse([1, 2, 3]);
    expect(v).toBeCloseTo(2 * 0.5 * (l - 1) + 4 * 0.5 * (l - 3), 12);
  });
});

describe('binaryCrossEntropyWithLogits', () => {
  const ref = (x: number, y: number, p = 1) =>
    -(p * y * Math.log(1 / (1 + Math.exp(-x))) + (1 - y) * Math.log(1 - 1 / (1 + Math.exp(-x))));
  it('matches the definition, with pos_weight', () => {
    const xs = [-2, 0.3, 1.5];
    const ys = [0, 1, 0.25];
    const v = binaryCrossEntropyWithLogits(
      tensor(xs, undefined, 'float64'),
      tensor(ys, undefined, 'float64'),
    ).item();
    expect(v).toBeCloseTo(xs.reduce((s, x, i) => s + ref(x, ys[i]), 0) / 3, 12);
    const w = binaryCrossEntropyWithLogits(
      tensor(xs, undefined, 'float64'),
      tensor(ys, undefined, 'float64'),
      { posWeight: 3 },
    ).item();
    expect(w).toBeCloseTo(xs.reduce((s, x, i) => s + ref(x, ys[i], 3), 0) / 3, 12);
  });
  it('is finite for large logits', () => {
    const v = binaryCrossEntropyWithLogits(tensor([200, -200]), tensor([0, 1])).item();
    expect(v).toBeCloseTo(200, 3);
  });
  it('honours a mask', () => {
    const v = binaryCrossEntropyWithLogits(
      tensor([[1, 50]], undefined, 'float64'),
      tensor([[1, 0]], undefined, 'float64'),
      {
        mask: tensor([[1, 0]]),
      },
    ).item();
    expect(v).toBeCloseTo(ref(1, 1), 12);
  });
});

describe('meanSquaredError', () => {
  it('averages squared errors; a [B,T] mask drops padded steps and counts features', () => {
    const p = tensor(
      [
        [
          [1, 2],
          [3, 4],
          [9, 9],
        ],
      ],
      undefined,
      'float64',
    );
    const t = tensor(
      [
        [
          [0, 0],
          [3, 2],
          [0, 0],
        ],
      ],
      undefined,
      'float64',
    );
    expect(meanSquaredError(p, t).item()).toBeCloseTo((1 + 4 + 0 + 4 + 81 + 81) / 6, 12);
    expect(meanSquaredError(p, t, { mask: tensor([[1, 1, 0]]) }).item()).toBeCloseTo(
      (1 + 4 + 4) / 4,
      12,
    );
  });
});

describe('getLoss', () => {
  it('resolves names and refuses unknown ones', () => {
    expect(getLoss('mse')(tensor([1, 2]), tensor([1, 0])).item()).toBeCloseTo(2, 6);
    expect(() => getLoss('nope' as never)).toThrow(/unknown loss/);
  });
  it('leaks no tensors inside tidy', () => {
    const before = memory().numTensors;
    const p = tensor([[1, 2, 3]]);
    const l = tensor([1], [1], 'int32');
    tidy(() =>
      sparseCategoricalCrossEntropy(p, l, { classWeights: [1, 2, 3], mask: tensor([1]) }),
    ).dispose();
    p.dispose();
    l.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
