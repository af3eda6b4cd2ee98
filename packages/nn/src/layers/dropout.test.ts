/**
 * Tests of the `Dropout` layer and the `dropout` function.
 */
import { dispose, memory, sum, tidy, ValueError, valueAndGrads } from '@rnnkit/core';
import { describe, expect, test } from 'vitest';
import { expectClose, randomTensor, useCpu } from '../../test/helpers.js';
import { Dropout } from './dropout.js';

useCpu();

describe('Dropout', () => {
  test('identity unless training', () => {
    const d = new Dropout({ rate: 0.5, seed: 1 });
    const x = randomTensor([4, 5], 1);
    expect(d.apply(x)).toBe(x);
    expect(d.apply(x, { training: false })).toBe(x);
    expect(d.paramCount()).toBe(0);
    x.dispose();
  });

  test('inverted dropout: zeros or x/(1-rate), seeded, about rate dropped', () => {
    const x = randomTensor([100, 100], 2);
    const a = new Dropout({ rate: 0.3, seed: 7 }).apply(x, { training: true });
    const b = new Dropout({ rate: 0.3, seed: 7 }).apply(x, { training: true });
    const c = new Dropout({ rate: 0.3, seed: 8 }).apply(x, { training: true });
    expectClose(a, b, 0);
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
    const xv = x.dataSync();
    const av = a.dataSync();
    let dropped = 0;
    for (let i = 0; i < xv.length; i++) {
      if (av[i] === 0) dropped++;
      else expect(av[i]).toBeCloseTo(xv[i] / 0.7, 12);
    }
    expect(dropped / xv.length).toBeGreaterThan(0.27);
    expect(dropped / xv.length).toBeLessThan(0.33);
    const all = new Dropout({ rate: 1 }).apply(x, { training: true });
    expect(Array.from(all.dataSync()).every((v) => v === 0)).toBe(true);
    dispose([x, a, b, c, all]);
  });

  test('gradient is the mask; no leaks', () => {
    const d = new Dropout({ rate: 0.5, seed: 3 });
    const x = randomTensor([3, 4], 3);
    const before = memory().numTensors;
    const g = tidy(() => valueAndGrads((xi) => sum(d.apply(xi, { training: true })))([x]).grads[0]);
    const gv = Array.from(g.dataSync());
    expect(gv.every((v) => v === 0 || Math.abs(v - 2) < 1e-12)).toBe(true);
    g.dispose();
    expect(memory().numTensors).toBe(before);
    x.dispose();
  });

  test('clear errors', () => {
    expect(() => new Dropout({ rate: 1.5 })).toThrow(ValueError);
    expect(() => new Dropout({ rate: -0.1 })).toThrow(/option 'rate' must be a number in \[0, 1\]/);
    expect(() => new Dropout({ rate: 0.5 }).apply([] as never)).toThrow(ValueError);
  });
});
