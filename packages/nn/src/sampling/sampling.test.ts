/**
 * Tests of sampling, generation and beam search.
 */
import '@rnnkit/backend-cpu';
import { Random, setBackend, tensor } from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  beamSearch,
  filteredProbabilities,
  generate,
  greedy,
  sampleLogits,
  sampleLogitsBatch,
} from './index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const logits = [Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)];

describe('sampling', () => {
  it('greedy takes the argmax (tensor or array, temperature 0 too)', () => {
    expect(greedy(tensor([0.1, 3, 2]))).toBe(1);
    expect(sampleLogits([1, 5, 5], { greedy: true })).toBe(1);
    expect(sampleLogits(logits, { temperature: 0 })).toBe(0);
  });
  it('temperature reshapes the distribution', () => {
    const p = filteredProbabilities(logits, { temperature: 0.5 });
    const z = 0.25 + 0.09 + 0.0225 + 0.0025;
    expect(p[0]).toBeCloseTo(0.25 / z, 12);
    expect(p[3]).toBeCloseTo(0.0025 / z, 12);
  });
  it('top-k and top-p keep the right tokens and renormalise', () => {
    const k = filteredProbabilities(logits, { topK: 2 });
    expect(Array.from(k)).toEqual([expect.closeTo(0.625, 12), expect.closeTo(0.375, 12), 0, 0]);
    const p = filteredProbabilities(logits, { topP: 0.9 });
    expect(p[3]).toBe(0);
    expect(p[2]).toBeCloseTo(0.15 / 0.95, 12);
    expect(Array.from(filteredProbabilities(logits, { topP: 0.1 }))).toEqual([1, 0, 0, 0]);
  });
  it('is seeded and follows the probabilities', () => {
    const a = Array.from(
      { length: 50 },
      (
        (rng) => () =>
          sampleLogits(logits, { rng })
      )(new Random(3)),
    );
    const b = Array.from(
      { length: 50 },
      (
        (rng) => () =>
          sampleLogits(logits, { rng })
      )(new Random(3)),
    );
    expect(a).toEqual(b);
    const rng = new Random(11);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampleLogits(logits, { rng })]++;
    [0.5, 0.3, 0.15, 0.05].forEach((p, i) => expect(counts[i] / 20000).toBeCloseTo(p, 1));
    const rng2 = new Random(5);
    for (let i = 0; i < 200; i++)
      expect(sampleLogits(logits, { topK: 2, rng: rng2 })).toBeLessThan(2);
  });
  it('samples rows of a batch', () => {
    expect(
      sampleLogitsBatch(
        tensor([
          [0, 100],
          [100, 0],
        ]),
        { seed: 1 },
      ),
    ).toEqual([1, 0]);
  });
  it('refuses bad options', () => {
    expect(() => sampleLogits(logits, { topK: 0 })).toThrow(/topK/);
    expect(() => sampleLogits(logits, { topP: 0 })).toThrow(/topP/);
    expect(() => sampleLogits(logits, { temperature: -1 })).toThrow(/temperature/);
  });
});

describe('generate', () => {
  it('feeds samples back and stops at the end token', () => {
    // deterministic chain: token t → t + 1, and 3 is the end token
    const step = (toks: number[], s: number) => ({
      logits: toks.map((tok) => [0, 1, 2, 3].map((v) => (v === tok + 1 ? 50 : 0))),
      state: s + 1,
    });
    expect(
      generate({ initialState: 0, startToken: 0, endToken: 3, maxLength: 10, step, seed: 1 }),
    ).toEqual([1, 2, 3]);
  });
});

describe('beamSearch', () => {
  // A fixed table of next-token probabilities keyed by the previous token (0 = start, 3 = end).
  const table: Record<number, number[]> = {
    0: [0, 0.4, 0.6, 0], // greedy takes 2 first...
    1: [0, 0, 0, 1], // ...but 1 → end with certainty
    2: [0, 0.5, 0, 0.5], // while 2 → end only half the time
  };
  const step = (last: number[], states: string[]) => ({
    logits: last.map((t) => table[t].map((p) => (p === 0 ? -1e9 : Math.log(p)))),
    states: states.map((s, i) => `${s}${last[i]}`),
  });

  it('finds the most likely sequence that greedy misses', () => {
    const hyps = beamSearch({
      initialState: '',
      startToken: 0,
      endToken: 3,
      beamWidth: 2,
      maxLength: 5,
      step,
    });
    expect(hyps[0].tokens).toEqual([1, 3]);
    expect(hyps[0].logProb).toBeCloseTo(Math.log(0.4), 9);
    expect(hyps[1].tokens).toEqual([2, 3]);
    expect(hyps[1].logProb).toBeCloseTo(Math.log(0.3), 9);
  });
  it('beam width 1 is greedy', () => {
    const [h] = beamSearch({
      initialState: '',
      startToken: 0,
      endToken: 3,
      beamWidth: 1,
      maxLength: 5,
      step,
    });
    expect(h.tokens).toEqual([2, 1, 3]); // the tie 1 vs end at step 2 goes to the lower token index
    expect(h.logProb).toBeCloseTo(Math.log(0.3), 9);
  });
  it('disposes every state it no longer needs exactly once', () => {
    const disposed: string[] = [];
    beamSearch({
      initialState: '',
      startToken: 0,
      endToken: 3,
      beamWidth: 2,
      maxLength: 5,
      step,
      disposeState: (s) => disposed.push(s),
    });
    expect(new Set(disposed).size).toBe(disposed.length);
    expect(disposed).not.toContain('');
  });
});
