/**
 * Tests of the metrics: accuracy and perplexity.
 */
import '@rnnkit/backend-cpu';
import { setBackend, tensor } from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy, getMetric, perplexity, perplexityMetric } from './index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('accuracy', () => {
  const logits = tensor([
    [0.1, 2, 0],
    [3, 0, 1],
    [0, 0, 5],
    [1, 0, 0],
  ]);
  it('sparse labels', () => {
    expect(accuracy(logits, tensor([1, 0, 1, 0], [4], 'int32')).item()).toBeCloseTo(0.75);
  });
  it('one-hot labels', () => {
    expect(
      accuracy(
        logits,
        tensor([
          [0, 1, 0],
          [0, 0, 1],
          [0, 0, 1],
          [1, 0, 0],
        ]),
      ).item(),
    ).toBeCloseTo(0.75);
  });
  it('binary logits thresholded at 0', () => {
    expect(accuracy(tensor([[2], [-1], [0.5]]), tensor([[1], [1], [1]])).item()).toBeCloseTo(2 / 3);
  });
  it('masks padded steps', () => {
    const seq = tensor([
      [
        [1, 0],
        [0, 1],
        [1, 0],
      ],
    ]); // [1, 3, 2]
    const labels = tensor([[0, 0, 1]], [1, 3], 'int32');
    expect(accuracy(seq, labels).item()).toBeCloseTo(1 / 3);
    expect(accuracy(seq, labels, tensor([[1, 0, 0]])).item()).toBeCloseTo(1);
  });
});

describe('perplexity', () => {
  it('is exp(cross-entropy); uniform logits over V give V', () => {
    expect(perplexity(tensor([[0, 0, 0, 0]]), tensor([2], [1], 'int32')).item()).toBeCloseTo(4, 5);
    expect(perplexityMetric.finalize!(Math.log(7))).toBeCloseTo(7);
    expect(getMetric('perplexity')).toBe(perplexityMetric);
    expect(() => getMetric('f1' as never)).toThrow(/unknown metric/);
  });
});
