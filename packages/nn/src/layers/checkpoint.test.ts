/**
 * The `checkpoint` option of the recurrent layers: stacked, bidirectional layers with variable
 * lengths give the same outputs and gradients with and without checkpointing (exactly, on the
 * float64 cpu backend), and a bad value is refused with a message naming the option.
 */
import {
  add,
  dispose,
  memory,
  mul,
  sum,
  type Tensor,
  tidy,
  ValueError,
  variableGrads,
} from '@rnnkit/core';
import { describe, expect, test } from 'vitest';
import { RECURRENT_CELLS, randomTensor, useCpu } from '../../test/helpers.js';
import { Bidirectional } from './bidirectional.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import type { RecurrentLayer } from './recurrent.js';

useCpu();

/** Output, final states and every parameter gradient of one training step, read back. */
function trainingStep(layer: RecurrentLayer, x: Tensor, lengths: number[]): number[][] {
  return tidy(() => {
    const { value, grads } = variableGrads(() => {
      const r = layer.forward(x, { lengths, training: true });
      const states = r.cN ? add(sum(mul(r.hN, r.hN)), sum(r.cN)) : sum(mul(r.hN, r.hN));
      return add(sum(mul(r.output, r.output)), states);
    }, layer.parameters());
    return [value, ...grads].map((t) => Array.from(t.dataSync()));
  });
}

describe('checkpoint option', () => {
  test.each(RECURRENT_CELLS)(
    '%s: stacked, bidirectional, variable lengths: identical gradients',
    (_n, C) => {
      const x = randomTensor([3, 11, 2], 7);
      const lengths = [11, 4, 0];
      const options = { inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true, seed: 3 };
      const plain = new C({ ...options, dtype: 'float64' });
      const expected = trainingStep(plain, x, lengths);
      for (const checkpoint of [true, 1, 4, 11, 50]) {
        const layer = new C({ ...options, dtype: 'float64', checkpoint });
        expect(layer.getConfig().config.checkpoint).toBe(checkpoint);
        expect(trainingStep(layer, x, lengths), `checkpoint ${checkpoint}`).toEqual(expected);
        layer.dispose();
      }
      plain.dispose();
      x.dispose();
    },
  );

  test('Bidirectional wrapper and goBackwards pass it to every direction', () => {
    const x = randomTensor([2, 9, 2], 8);
    const make = (checkpoint: boolean | number) =>
      new Bidirectional(
        new LSTM({ inputSize: 2, hiddenSize: 3, seed: 4, dtype: 'float64', checkpoint }),
      );
    const step = (layer: Bidirectional) =>
      tidy(() => {
        const { grads } = variableGrads(
          () => sum(mul(layer.apply(x, { lengths: [9, 5] }) as Tensor, 2)),
          layer.parameters(),
        );
        return grads.map((g) => Array.from(g.dataSync()));
      });
    const plain = make(false);
    const checkpointed = make(2);
    expect(step(checkpointed)).toEqual(step(plain));
    dispose([plain, checkpointed, x] as never);
    const back = (checkpoint: number | boolean) =>
      new GRU({
        inputSize: 2,
        hiddenSize: 2,
        seed: 1,
        dtype: 'float64',
        goBackwards: true,
        checkpoint,
      });
    const y = randomTensor([2, 6, 2], 2);
    expect(trainingStep(back(3), y, [6, 3])).toEqual(trainingStep(back(false), y, [6, 3]));
  });

  test('the forward keeps the segment boundaries instead of every step for the backward', () => {
    const x = randomTensor([2, 400, 2], 9);
    const keptBytes = (checkpoint: boolean) => {
      const layer = new LSTM({
        inputSize: 2,
        hiddenSize: 8,
        seed: 1,
        dtype: 'float64',
        checkpoint,
      });
      let kept = 0;
      tidy(() => {
        const before = memory().backend.numBytes ?? 0;
        variableGrads(() => {
          const out = sum(layer.forward(x, { training: true }).output);
          kept = (memory().backend.numBytes ?? 0) - before;
          return out;
        }, layer.parameters());
      });
      layer.dispose();
      return kept;
    };
    const plain = keptBytes(false);
    const checkpointed = keptBytes(true);
    // Plain: y plus a 5H reserve row per step; checkpointed: y plus 20 boundaries of 2H.
    expect(plain).toBeGreaterThanOrEqual(2 * 400 * 8 * 6 * 8);
    expect(checkpointed).toBeLessThan(2 * 400 * 8 * 2 * 8);
    x.dispose();
  });

  test('a bad value is refused, naming the option', () => {
    for (const bad of [0, -2, 2.5, Number.NaN, 'yes']) {
      expect(
        () => new LSTM({ inputSize: 1, hiddenSize: 1, checkpoint: bad as unknown as number }),
      ).toThrow(ValueError);
    }
    expect(() => new GRU({ inputSize: 1, hiddenSize: 1, checkpoint: 0 })).toThrow(
      /GRU: option 'checkpoint' must be true, false or a positive integer segment length, got 0/,
    );
  });
});
