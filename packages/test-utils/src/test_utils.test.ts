/**
 * The helpers' own checks: the comparison assertions, the random sources, fixture loading and
 * the feature-block glue of the stack runner.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { expectClose, expectWithin } from './compare.js';
import { columns, setColumns } from './fixture_runner.js';
import { loadFixtures } from './fixtures.js';
import { integers, mulberry32, uniform } from './random.js';

describe('expectWithin / expectClose', () => {
  it('accepts errors within atol + rtol * scale and rejects larger ones', () => {
    expectWithin([1.04, 2], [1, 2], { rtol: 0.025 }, 'scale 2');
    expect(() => expectWithin([1.06, 2], [1, 2], { rtol: 0.025 })).toThrow(/tensor\[0\]/);
    expectWithin([0.5 + 1e-7], [0.5], { atol: 1e-6 });
    expect(() => expectWithin([0.5 + 1e-5], [0.5], { atol: 1e-6 })).toThrow();
  });

  it('scales by max(minScale, largest finite |expected|)', () => {
    expectClose([0.0105], [0.01], 1e-3);
    expect(() => expectWithin([0.0105], [0.01], { rtol: 1e-3 })).toThrow();
    expectClose([1, Number.POSITIVE_INFINITY], [1.0001, Number.POSITIVE_INFINITY], 1e-3);
  });

  it('matches NaN with NaN and infinities exactly', () => {
    expectWithin([Number.NaN, Number.NEGATIVE_INFINITY], [Number.NaN, Number.NEGATIVE_INFINITY]);
    expect(() => expectWithin([0], [Number.NaN])).toThrow();
    expect(() => expectWithin([Number.NaN], [0], { atol: 1 })).toThrow();
    expect(() => expectWithin([1e300], [Number.POSITIVE_INFINITY], { rtol: 1 })).toThrow();
  });

  it('rejects a length mismatch', () => {
    expect(() => expectClose([1], [1, 2], 1)).toThrow();
  });
});

describe('random values', () => {
  it('mulberry32 is deterministic and uniform in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(8)()).not.toBe(xs[0]);
  });

  it('uniform and integers stay in range with a function or a Random', () => {
    for (const source of [mulberry32(1), new Random(1)]) {
      expect(uniform(source, 500, -2, 3).every((v) => v >= -2 && v < 3)).toBe(true);
      const ints = integers(source, 500, -4, 4);
      expect(ints.every((v) => Number.isInteger(v) && v >= -4 && v < 4)).toBe(true);
    }
    const r1 = new Random(3);
    const r2 = new Random(3);
    expect(uniform(r1, 5)).toEqual(Array.from({ length: 5 }, () => -1 + 2 * r2.next()));
  });
});

describe('fixtures', () => {
  it('loads every shared fixture, strictly parsed, sorted by name', () => {
    const fixtures = loadFixtures();
    expect(fixtures.length).toBeGreaterThanOrEqual(23);
    const names = fixtures.map((f) => f.name);
    expect(names).toEqual([...names].sort());
    for (const f of fixtures) {
      expect(f.mode === 'LSTM').toBe(f.outputs.cN !== undefined);
      expect(f.layerOutputs?.length ?? f.numLayers - 1).toBe(f.numLayers - 1);
    }
  });

  it('fails naming a file that does not follow the format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rnnkit-fixtures-'));
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ mode: 'LSTM' }));
    expect(() => loadFixtures(dir)).toThrow(/broken\.json: invalid fixture: 'input_size'/);
  });
});

describe('columns / setColumns', () => {
  it('extract and write back a feature block', () => {
    const rows = [1, 2, 3, 4, 5, 6];
    expect(columns(rows, 3, 1, 2)).toEqual([2, 3, 5, 6]);
    const target = new Array<number>(6).fill(0);
    setColumns(target, 3, 1, 2, [2, 3, 5, 6]);
    expect(target).toEqual([0, 2, 3, 0, 5, 6]);
  });
});
