/**
 * Tests of the parameter initialisers.
 */
import { Random } from '@rnnkit/core';
import { describe, expect, test } from 'vitest';
import { initialValues, orthogonal } from './initializers.js';

const ctx = (shape: number[], gates = 1) => ({
  shape,
  fanIn: shape[1] ?? 1,
  fanOut: shape[0],
  gates,
  uniformBound: 0.25,
});

describe('initializers', () => {
  test('pytorchUniform stays in ±bound; glorotUniform in ±√(6/(in+out))', () => {
    const u = initialValues('pytorchUniform', ctx([20, 10]), new Random(1));
    expect(u.every((v) => Math.abs(v) <= 0.25)).toBe(true);
    expect(Math.max(...u.map(Math.abs))).toBeGreaterThan(0.2);
    const g = initialValues('glorotUniform', ctx([20, 10]), new Random(1));
    expect(g.every((v) => Math.abs(v) <= Math.sqrt(6 / 30))).toBe(true);
  });

  test('same generator seed ⇒ same values', () => {
    for (const name of [
      'pytorchUniform',
      'glorotUniform',
      'glorotNormal',
      'orthogonal',
      'normal',
    ] as const) {
      expect(initialValues(name, ctx([6, 3]), new Random(4))).toEqual(
        initialValues(name, ctx([6, 3]), new Random(4)),
      );
    }
  });

  test('orthogonal: orthonormal columns (tall) or rows (wide)', () => {
    const check = (rows: number, cols: number) => {
      const q = orthogonal(rows, cols, new Random(3));
      const tall = rows >= cols;
      const k = tall ? cols : rows;
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          let dot = 0;
          for (let i = 0; i < (tall ? rows : cols); i++) {
            dot += tall ? q[i * cols + a] * q[i * cols + b] : q[a * cols + i] * q[b * cols + i];
          }
          expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
        }
      }
    };
    check(5, 5);
    check(8, 3);
    check(3, 8);
  });

  test('zeros, ones and custom functions', () => {
    expect(Array.from(initialValues('zeros', ctx([2, 2]), new Random(1)))).toEqual([0, 0, 0, 0]);
    expect(Array.from(initialValues('ones', ctx([3]), new Random(1)))).toEqual([1, 1, 1]);
    expect(
      Array.from(
        initialValues(
          (c) => Array.from({ length: c.shape[0] }, (_, i) => i),
          ctx([3]),
          new Random(1),
        ),
      ),
    ).toEqual([0, 1, 2]);
    expect(() => initialValues(() => [1], ctx([3]), new Random(1))).toThrow(/returned 1 values/);
  });
});
