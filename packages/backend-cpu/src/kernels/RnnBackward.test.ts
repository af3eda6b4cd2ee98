/**
 * Tests of cpu's `RnnBackward` kernel: the PyTorch fixtures, central finite differences (float64)
 * and edge cases.
 */
import type { RnnMode } from '@rnnkit/core';
import { GATES_PER_MODE } from '@rnnkit/core';
import {
  loadFixtures,
  mulberry32,
  type RnnCotangents,
  type RnnGradients,
  type RnnProblem,
  rnnLoss,
  runBackward,
  runFixture,
  runForward,
} from '@rnnkit/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { rnnBackward } from './RnnBackward.js';

const fixtures = loadFixtures();

describe('RnnBackward against the PyTorch fixtures', () => {
  describe.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    it('matches every gradient in float64 to 1e-10', () => {
      const run = runFixture(new CpuBackend(), fixture);
      expect(Object.keys(run.grads).sort()).toEqual(Object.keys(fixture.grads).sort());
      for (const [name, expected] of Object.entries(fixture.grads)) {
        expectClose(run.grads[name], expected.data, 1e-10, name);
      }
    });

    it('matches every gradient in float32 to 1e-4', () => {
      const run = runFixture(new CpuBackend(), fixture, 'float32');
      for (const [name, expected] of Object.entries(fixture.grads)) {
        expectClose(run.grads[name], expected.data, 1e-4, name);
      }
    });
  });
});

/** Deterministic uniform values in [-scale, scale) from a seed (mulberry32). */
function randomValues(seed: number): (count: number, scale?: number) => number[] {
  const next = mulberry32(seed);
  return (count, scale = 1) => Array.from({ length: count }, () => (2 * next() - 1) * scale);
}

interface GradientCase {
  problem: RnnProblem;
  cotangents: RnnCotangents;
}

const MODES: readonly RnnMode[] = ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'];

const gradientCase: fc.Arbitrary<GradientCase> = fc
  .record({
    mode: fc.constantFrom(...MODES),
    reverse: fc.boolean(),
    batch: fc.integer({ min: 1, max: 3 }),
    steps: fc.integer({ min: 1, max: 4 }),
    inputSize: fc.integer({ min: 1, max: 3 }),
    hidden: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer(),
    withLengths: fc.boolean(),
  })
  .chain((sizes) =>
    fc
      .array(fc.integer({ min: 0, max: sizes.steps }), {
        minLength: sizes.batch,
        maxLength: sizes.batch,
      })
      .map((lengths) => ({ sizes, lengths: sizes.withLengths ? lengths : undefined })),
  )
  .map(({ sizes, lengths }) => {
    const { mode, reverse, batch: B, steps: T, inputSize: I, hidden: H } = sizes;
    const random = randomValues(sizes.seed);
    const GH = GATES_PER_MODE[mode] * H;
    const isLstm = mode === 'LSTM';
    const problem: RnnProblem = {
      mode,
      reverse,
      batch: B,
      steps: T,
      inputSize: I,
      hidden: H,
      x: random(B * T * I),
      wIh: random(GH * I, 0.8),
      wHh: random(GH * H, 0.8),
      bIh: random(GH, 0.5),
      bHh: random(GH, 0.5),
      h0: random(B * H, 0.5),
      c0: isLstm ? random(B * H, 0.5) : undefined,
      lengths,
    };
    const cotangents: RnnCotangents = {
      dy: random(B * T * H),
      dhN: random(B * H),
      dcN: isLstm ? random(B * H) : undefined,
    };
    return { problem, cotangents };
  });

type Differentiable = keyof RnnGradients;
const DIFFERENTIABLE: readonly Differentiable[] = ['x', 'wIh', 'wHh', 'bIh', 'bHh', 'h0', 'c0'];

/** Central finite differences of the loss with respect to every element of `name`. */
function finiteDifferences(
  backend: CpuBackend,
  { problem, cotangents }: GradientCase,
  name: Differentiable,
): number[] {
  const eps = 1e-6;
  const values = problem[name] ?? [];
  return values.map((value, i) => {
    const at = (shift: number) => {
      const perturbed = [...values];
      perturbed[i] = value + shift;
      return rnnLoss(backend, { ...problem, [name]: perturbed }, cotangents);
    };
    return (at(eps) - at(-eps)) / (2 * eps);
  });
}

describe('RnnBackward against central finite differences (float64)', () => {
  it('agrees for random modes, shapes, lengths and directions', () => {
    fc.assert(
      fc.property(gradientCase, (testCase) => {
        const backend = new CpuBackend();
        const forward = runForward(backend, testCase.problem);
        const grads = runBackward(backend, testCase.problem, forward, testCase.cotangents);
        for (const name of DIFFERENTIABLE) {
          if (testCase.problem[name] === undefined) {
            expect(grads[name], name).toBeUndefined();
            continue;
          }
          expectClose(grads[name] ?? [], finiteDifferences(backend, testCase, name), 1e-8, name);
        }
        // Padded steps of x get exactly zero gradient.
        const { batch: B, steps: T, inputSize: I, lengths } = testCase.problem;
        for (let b = 0; b < B; b++) {
          for (let t = lengths?.[b] ?? T; t < T; t++) {
            expect(grads.x.slice((b * T + t) * I, (b * T + t + 1) * I)).toEqual(
              new Array<number>(I).fill(0),
            );
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('RnnBackward edge cases', () => {
  const problem: RnnProblem = {
    mode: 'RNN_TANH',
    reverse: false,
    batch: 2,
    steps: 2,
    inputSize: 1,
    hidden: 1,
    x: [0.1, 0.2, 0.3, 0.4],
    wIh: [0.5],
    wHh: [-0.5],
    bIh: [0.1],
    bHh: [0.2],
    h0: [0.3, -0.3],
    lengths: [2, 0],
  };

  it('passes dhN straight to dh0 for an empty sequence', () => {
    const backend = new CpuBackend();
    const forward = runForward(backend, problem);
    const grads = runBackward(backend, problem, forward, { dy: [1, 1, 1, 1], dhN: [0.7, -0.9] });
    expect(grads.h0[1]).toBe(-0.9);
    expect(grads.x.slice(2)).toEqual([0, 0]);
  });

  it('rejects the empty reserve of an inference-mode forward', () => {
    const backend = new CpuBackend();
    const forward = runForward(
      backend,
      { ...problem, mode: 'GRU', wIh: [1, 2, 3], wHh: [1, 2, 3], bIh: [0, 0, 0], bHh: [0, 0, 0] },
      'float64',
      false,
    );
    expect(() =>
      rnnBackward(
        {
          ...forward.inputs,
          y: forward.outputs.y,
          reserve: forward.outputs.reserve,
          dy: put(backend, [0, 0, 0, 0], [2, 2, 1]),
          dhN: put(backend, [0, 0], [2, 1]),
        },
        { mode: 'GRU', reverse: false },
        backend,
      ),
    ).toThrow(/training: true/);
  });
});
