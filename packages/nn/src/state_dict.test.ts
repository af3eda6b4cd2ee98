/**
 * Tests of state dicts: round trips across dtypes, copies not aliases, and load errors that name
 * the parameter.
 */
import { dispose, ShapeError, tensor, ValueError } from '@rnnkit/core';
import { describe, expect, test } from 'vitest';
import { expectClose, useCpu } from '../test/helpers.js';
import { GRU } from './layers/gru.js';
import { LSTM } from './layers/lstm.js';

useCpu();

describe('loadStateDict / stateDict', () => {
  test('round trip through plain data and tensors, across dtypes', () => {
    const a = new LSTM({ inputSize: 2, hiddenSize: 3, seed: 1, dtype: 'float64' });
    const b = new LSTM({ inputSize: 2, hiddenSize: 3, seed: 2 });
    b.loadStateDict(a.stateDict());
    for (const [n, v] of b.namedParameters()) expectClose(v, a.namedParameters().get(n)!, 1e-7, n);
    const c = new LSTM({ inputSize: 2, hiddenSize: 3, seed: 3, dtype: 'float64' });
    c.loadStateDict(Object.fromEntries(a.namedParameters()));
    for (const [n, v] of c.namedParameters()) expectClose(v, a.namedParameters().get(n)!, 0, n);
    for (const l of [a, b, c]) l.dispose();
  });

  test('values are copied, not aliased', () => {
    const g = new GRU({ inputSize: 1, hiddenSize: 1, seed: 1 });
    const t = tensor(new Float32Array([1, 2, 3]), [3, 1]);
    g.loadStateDict({ weight_ih_l0: t }, { strict: false });
    t.dispose();
    expect(Array.from(g.namedParameters().get('weight_ih_l0')!.dataSync())).toEqual([1, 2, 3]);
    g.dispose();
  });

  test('clear errors naming the parameter; a failed load changes nothing', () => {
    const g = new GRU({ inputSize: 2, hiddenSize: 3, seed: 1 });
    const good = g.stateDict();
    const before = Array.from(g.namedParameters().get('weight_ih_l0')!.dataSync());
    const { bias_hh_l0: _missing, ...partial } = good;
    expect(() => g.loadStateDict(partial)).toThrow(ValueError);
    expect(() => g.loadStateDict(partial)).toThrow(/missing: bias_hh_l0/);
    expect(() => g.loadStateDict({ ...good, weight_ih_l9: good.weight_ih_l0 })).toThrow(
      /unexpected: weight_ih_l9/,
    );
    const wrong = {
      ...good,
      weight_ih_l0: { shape: [2, 9], data: new Float64Array(18).fill(7) },
      weight_hh_l0: { shape: [9, 3], data: new Float64Array(27) },
    };
    expect(() => g.loadStateDict(wrong)).toThrow(ShapeError);
    expect(() => g.loadStateDict(wrong)).toThrow(
      /parameter 'weight_ih_l0' must have shape \[9, 2\], got \[2, 9\]/,
    );
    expect(Array.from(g.namedParameters().get('weight_ih_l0')!.dataSync())).toEqual(before);
    expect(() => g.loadStateDict({ ...good, bias_ih_l0: { shape: [9], data: [1, 2] } })).toThrow(
      /declares shape \[9\] \(9 values\) but holds 2/,
    );
    g.loadStateDict({ weight_ih_l0: good.weight_ih_l0 }, { strict: false });
    dispose([]);
    g.dispose();
  });
});
