// Stratified folds and hold-out splits: deterministic, balanced, a partition of the data.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holdOut, stratifiedFolds } from '../src/folds.js';
import { evalReport, meanStd } from '../src/metrics.js';

describe('stratifiedFolds', () => {
  it('deals each class evenly over the folds, the same way for the same seed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 10, maxLength: 300 }),
        fc.integer({ min: 2, max: 10 }),
        fc.nat(),
        (y, k, seed) => {
          const folds = stratifiedFolds(y, k, seed);
          expect(folds).toEqual(stratifiedFolds(y, k, seed));
          expect(folds.every((f) => Number.isInteger(f) && f >= 0 && f < k)).toBe(true);
          for (const c of new Set(y)) {
            const per = Array.from(
              { length: k },
              (_, f) => folds.filter((g, i) => g === f && y[i] === c).length,
            );
            expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });
  it('refuses fewer than two folds or more folds than sentences', () => {
    expect(() => stratifiedFolds([0, 1], 1, 0)).toThrow(/--folds must be an integer ≥ 2/);
    expect(() => stratifiedFolds([0, 1], 3, 0)).toThrow(/--folds 3 is more than the 2 sentences/);
  });
});

describe('holdOut', () => {
  it('partitions the rows, holding out the fraction of each class', () => {
    const y = [...Array(50).fill(0), ...Array(30).fill(1)];
    const rows = y.map((_, i) => i);
    const { train, val } = holdOut(rows, y, 0.1, 3);
    expect([...train, ...val].sort((a, b) => a - b)).toEqual(rows);
    expect(val.filter((r) => y[r] === 0)).toHaveLength(5);
    expect(val.filter((r) => y[r] === 1)).toHaveLength(3);
  });
});

describe('metrics', () => {
  it('computes the confusion matrix, precision, recall and F1', () => {
    const r = evalReport(['neg', 'pos'], [0, 0, 0, 1, 1], [0, 0, 1, 1, 0], 0.5);
    expect(r.confusion).toEqual([
      [2, 1],
      [1, 1],
    ]);
    expect(r.accuracy).toBeCloseTo(3 / 5, 12);
    expect(r.perClass[0]).toMatchObject({ precision: 2 / 3, recall: 2 / 3, support: 3 });
    expect(r.perClass[1].f1).toBeCloseTo(0.5, 12);
    expect(meanStd([1, 2, 3])).toEqual({ mean: 2, std: 1 });
  });
});
