/**
 * A model that reads only the final state of its recurrent layer (`returnSequences: false`, then
 * Dense) hands the top layer's `RnnBackward` no dy; its gradients equal, exactly on the float64
 * cpu backend, those it gets when a zero dL/dy is passed instead — for every cell, one and two
 * directions, one and two layers, plain and checkpointed, with variable lengths.
 */
import { add, mul, square, sum, type Tensor, tidy, variableGrads, zerosLike } from '@rnnkit/core';
import { describe, expect, test } from 'vitest';
import { RECURRENT_CELLS, randomTensor, useCpu } from '../../test/helpers.js';
import { Dense } from './dense.js';
import type { RecurrentLayer } from './recurrent.js';
import { lastOutputs } from './sequence_input.js';

useCpu();

const SHAPES = [
  { bidirectional: false, numLayers: 1 },
  { bidirectional: true, numLayers: 1 },
  { bidirectional: false, numLayers: 2 },
  { bidirectional: true, numLayers: 2 },
];

/**
 * The loss and every parameter gradient of one step of `layer` → Dense, read back (a negative
 * zero read as zero). With `zeroDy` the loss adds the output sequence times zero, which makes
 * the tape pass the top layer's RnnBackward a zero dy of the output's size: the path every
 * such model took before dy could be absent.
 */
function step(
  layer: RecurrentLayer,
  dense: Dense,
  x: Tensor,
  lengths: number[],
  zeroDy: boolean,
): number[][] {
  return tidy(() => {
    const { value, grads } = variableGrads(() => {
      const r = layer.forward(x, { lengths, training: true });
      const last = lastOutputs(r.hN, layer.numLayers, layer.numDirections);
      const loss = sum(square(dense.apply(last)));
      return zeroDy ? add(loss, sum(mul(r.output, zerosLike(r.output)))) : loss;
    }, [...layer.parameters(), ...dense.parameters()]);
    return [value, ...grads].map((t) => Array.from(t.dataSync(), (v) => v + 0));
  });
}

describe('a model reading only the final state', () => {
  for (const [name, C] of RECURRENT_CELLS) {
    test.each(SHAPES)(`${name}: %o: the gradients of a zero dy, exactly`, (shape) => {
      const [B, T, I, H] = [3, 7, 2, 4];
      const x = randomTensor([B, T, I], 11);
      const lengths = [T, 3, 0];
      const D = shape.bidirectional ? 2 : 1;
      const dense = new Dense({ inputSize: D * H, units: 3, dtype: 'float64', seed: 5 });
      for (const checkpoint of [false, 2]) {
        const options = {
          inputSize: I,
          hiddenSize: H,
          ...shape,
          returnSequences: false,
          checkpoint,
        };
        const layer = new C({ ...options, dtype: 'float64', seed: 3 });
        const without = step(layer, dense, x, lengths, false);
        const withZero = step(layer, dense, x, lengths, true);
        expect(without, `checkpoint ${checkpoint}`).toEqual(withZero);
        // Not vacuous: some gradient of the recurrent weights is non-zero.
        expect(without[1].some((v) => v !== 0)).toBe(true);
        // And `apply`, the way such a model is written, gives the same loss.
        const applied = tidy(
          () => sum(square(dense.apply(layer.apply(x, { lengths }) as Tensor))).dataSync()[0],
        );
        expect(applied).toBe(without[0][0]);
        layer.dispose();
      }
      dense.dispose();
      x.dispose();
    });
  }
});
