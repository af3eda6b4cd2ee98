/**
 * Tests of `Random` and its saved state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from './random.js';

describe('Random', () => {
  it('same seed, same stream', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = new Random(seed);
        const b = new Random(seed);
        for (let i = 0; i < 20; i++) expect(a.next()).toBe(b.next());
      }),
    );
  });

  it('uniform values lie in [0, 1) with mean near 1/2', () => {
    const rng = new Random(7);
    let s = 0;
    for (let i = 0; i < 20000; i++) {
      const v = rng.next();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
      s += v;
    }
    expect(s / 20000).toBeCloseTo(0.5, 2);
  });

  it('normal samples have mean 0 and variance 1', () => {
    const rng = new Random(3);
    let s = 0;
    let s2 = 0;
    const n = 40000;
    for (let i = 0; i < n; i++) {
      const v = rng.normal();
      s += v;
      s2 += v * v;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.03);
  });

  it('shuffle is a permutation', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer(), (items, seed) => {
        const shuffled = new Random(seed).shuffle([...items]);
        expect([...shuffled].sort()).toEqual([...items].sort());
      }),
    );
  });

  it('refuses a non-finite seed', () => {
    expect(() => new Random(Number.NaN)).toThrow(/seed/);
  });
});

describe('Random state', () => {
  it('a restored state continues the stream exactly (normals mid-pair included)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 7 }), (seed, skip) => {
        const a = new Random(seed);
        for (let i = 0; i < skip; i++) a.normal();
        const saved = JSON.parse(JSON.stringify(a.getState()));
        const b = new Random(seed + 1);
        b.setState(saved);
        for (let i = 0; i < 10; i++) {
          expect(b.normal()).toBe(a.normal());
          expect(b.nextUint32()).toBe(a.nextUint32());
        }
      }),
    );
  });

  it('rejects malformed states, naming the field', () => {
    const rng = new Random(1);
    expect(() => rng.setState({ s: [1, 2, 3] })).toThrow(/'state.s' must be 4 unsigned/);
    expect(() => rng.setState({ s: [0, 0, 0, 0] })).toThrow(/not all 0/);
    expect(() => rng.setState({ s: [1, 2, 3, -1] })).toThrow(/'state.s'/);
    expect(() => rng.setState({ s: [1, 2, 3, 4], spareNormal: Number.NaN })).toThrow(
      /'state.spareNormal'/,
    );
  });
});
