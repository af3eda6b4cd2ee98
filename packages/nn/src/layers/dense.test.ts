/**
 * Tests of the `Dense` layer.
 */
import {
  DTypeError,
  dispose,
  matMul,
  ShapeError,
  softmax,
  sum,
  tensor,
  tidy,
  ValueError,
  variableGrads,
} from '@rnnkit/core';
import { describe, expect, test } from 'vitest';
import { expectClose, expectNoLeak, randomTensor, useCpu } from '../../test/helpers.js';
import { Dense } from './dense.js';

useCpu();

describe('Dense', () => {
  test('PyTorch Linear parameters, names, shapes and paramCount', () => {
    const d = new Dense({ inputSize: 3, units: 5, seed: 1 });
    expect([...d.namedParameters().keys()]).toEqual(['weight', 'bias']);
    expect([...d.namedParameters().get('weight')!.shape]).toEqual([5, 3]);
    expect(d.paramCount()).toBe(5 * 3 + 5);
    const bound = 1 / Math.sqrt(3);
    expect(
      d.parameters().every((p) => Array.from(p.dataSync()).every((v) => Math.abs(v) <= bound)),
    ).toBe(true);
    const noBias = new Dense({ inputSize: 3, units: 5, useBias: false });
    expect(noBias.paramCount()).toBe(15);
    d.dispose();
    noBias.dispose();
  });

  test('y = x Wᵀ + b on the last axis of any rank, with activations', () => {
    const d = new Dense({ inputSize: 2, units: 3, dtype: 'float64' });
    d.loadStateDict({
      weight: {
        shape: [3, 2],
        data: [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
      },
      bias: { shape: [3], data: [0.5, -1, 0] },
    });
    const x = tensor(
      [
        [
          [1, 1],
          [2, -1],
        ],
      ],
      [1, 2, 2],
      'float64',
    );
    const y = d.apply(x);
    expectClose(
      y,
      {
        shape: [1, 2, 3],
        data: [
          [
            [3.5, 6, 11],
            [0.5, 1, 4],
          ],
        ],
      },
      0,
    );
    const v = tensor([1, 0], [2], 'float64');
    expectClose(d.apply(v), { shape: [3], data: [1.5, 2, 5] }, 0);
    for (const activation of ['tanh', 'relu', 'sigmoid', 'softmax'] as const) {
      const a = new Dense({ inputSize: 2, units: 3, activation, dtype: 'float64' });
      a.loadStateDict(d.namedParameters());
      const out = a.apply(x);
      const ref = {
        tanh: Math.tanh,
        relu: (z: number) => Math.max(0, z),
        sigmoid: (z: number) => 1 / (1 + Math.exp(-z)),
      };
      if (activation === 'softmax') expectClose(out, softmax(y), 1e-15);
      else
        expectClose(
          out,
          { shape: [1, 2, 3], data: Array.from(y.dataSync(), ref[activation]) },
          1e-15,
        );
      a.dispose();
    }
    dispose([x, y, v]);
    d.dispose();
  });

  test('same seed ⇒ same weights', () => {
    const a = new Dense({ inputSize: 4, units: 4, seed: 3, kernelInitializer: 'glorotNormal' });
    const b = new Dense({ inputSize: 4, units: 4, seed: 3, kernelInitializer: 'glorotNormal' });
    expect(Array.from(a.parameters()[0].dataSync())).toEqual(
      Array.from(b.parameters()[0].dataSync()),
    );
    a.dispose();
    b.dispose();
  });

  test('gradients and no leaks', () => {
    const d = new Dense({ inputSize: 3, units: 2, dtype: 'float64', seed: 1 });
    const x = randomTensor([4, 3], 1);
    const { grads, value } = variableGrads(() => sum(d.apply(x)), d.parameters());
    const ones = tensor(new Float64Array(8).fill(1), [4, 2], 'float64');
    expectClose(grads[0], matMul(ones, x, { transposeA: true }), 1e-14);
    expectClose(grads[1], { shape: [2], data: [4, 4] }, 1e-14);
    dispose([grads, value, ones]);
    expectNoLeak(() =>
      tidy(() => variableGrads(() => sum(d.apply(x)), d.parameters()).grads[0]).dispose(),
    );
    x.dispose();
    d.dispose();
  });

  test('clear errors', () => {
    const d = new Dense({ inputSize: 3, units: 2 });
    const x = randomTensor([2, 4], 1, 'float32');
    expect(() => d.apply(x)).toThrow(ShapeError);
    expect(() => d.apply(x)).toThrow(/argument 'x' must have shape \[\.\.\., 3\], got \[2, 4\]/);
    expect(() => d.apply(randomTensor([2, 3], 1, 'float64'))).toThrow(DTypeError);
    expect(() => new Dense({ inputSize: 3, units: -1 })).toThrow(ValueError);
    expect(() => new Dense({ inputSize: 3, units: 2, activation: 'gelu' as 'relu' })).toThrow(
      /activation/,
    );
    expect(() =>
      d.loadStateDict({
        weight: { shape: [3, 2], data: [1, 2, 3, 4, 5, 6] },
        bias: { shape: [2], data: [0, 0] },
      }),
    ).toThrow(/parameter 'weight' must have shape \[2, 3\], got \[3, 2\]/);
    x.dispose();
    d.dispose();
  });
});
