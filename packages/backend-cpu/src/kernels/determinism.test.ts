// The fused recurrent kernels give the same bits for the same call whatever the process ran
// before (other shapes, modes and dtypes, backward passes, freed storage): what an exact
// `--resume` of a training run relies on.
import type { DType, RnnMode } from '@rnnkit/core';
import { GATES_PER_MODE } from '@rnnkit/core';
import {
  disposeAll,
  mulberry32,
  type RnnCotangents,
  type RnnProblem,
  runBackward,
  runForward,
} from '@rnnkit/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend.js';

interface Call {
  problem: RnnProblem;
  cotangents: RnnCotangents;
  dtype: DType;
}

const MODES: readonly RnnMode[] = ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'];

interface Sizes {
  mode: RnnMode;
  reverse: boolean;
  batch: number;
  steps: number;
  inputSize: number;
  hidden: number;
  withLengths: boolean;
  dtype: DType;
}

// Sizes reach past gemm's depth tile (64) and, for LSTM, its column tile (256 = 4 * 64), so a
// state carried between tiles or between calls of different shapes would show.
const sizes: fc.Arbitrary<Sizes> = fc.record({
  mode: fc.constantFrom(...MODES),
  reverse: fc.boolean(),
  batch: fc.integer({ min: 1, max: 4 }),
  steps: fc.integer({ min: 1, max: 5 }),
  inputSize: fc.integer({ min: 1, max: 70 }),
  hidden: fc.integer({ min: 1, max: 66 }),
  withLengths: fc.boolean(),
  dtype: fc.constantFrom<DType>('float32', 'float64'),
});

/** A call of the given sizes with values (and lengths) drawn from `seed`. */
function callOf(s: Sizes, seed: number): Call {
  const next = mulberry32(seed);
  const random = (count: number, scale = 1) =>
    Array.from({ length: count }, () => (2 * next() - 1) * scale);
  const { batch: B, steps: T, inputSize: I, hidden: H } = s;
  const GH = GATES_PER_MODE[s.mode] * H;
  const isLstm = s.mode === 'LSTM';
  const problem: RnnProblem = {
    mode: s.mode,
    reverse: s.reverse,
    batch: B,
    steps: T,
    inputSize: I,
    hidden: H,
    x: random(B * T * I),
    wIh: random(GH * I, 0.5),
    wHh: random(GH * H, 0.5),
    bIh: random(GH, 0.5),
    bHh: random(GH, 0.5),
    h0: random(B * H, 0.5),
    c0: isLstm ? random(B * H, 0.5) : undefined,
    lengths: s.withLengths
      ? Array.from({ length: B }, () => Math.floor(next() * (T + 1)))
      : undefined,
  };
  const cotangents: RnnCotangents = {
    dy: random(B * T * H),
    dhN: random(B * H),
    dcN: isLstm ? random(B * H) : undefined,
  };
  return { problem, cotangents, dtype: s.dtype };
}

/**
 * A target call and the work run between its two evaluations: calls of other sizes, modes and
 * dtypes, and calls of the target's own sizes with other values (the usual case in training,
 * and the one a buffer pool keyed by size would get wrong).
 */
const scenario = sizes.chain((target) =>
  fc.record({
    target: fc.integer().map((seed) => callOf(target, seed)),
    history: fc.array(
      fc
        .tuple(fc.oneof(fc.constant(target), sizes), fc.integer())
        .map(([s, seed]) => callOf(s, seed)),
      { minLength: 1, maxLength: 3 },
    ),
  }),
);

/**
 * Every output of one forward and backward call, as raw bytes: equal bytes mean equal bits,
 * including the sign of zeros and NaN payloads.
 */
function bitsOf(backend: CpuBackend, { problem, cotangents, dtype }: Call): Uint8Array[] {
  const forward = runForward(backend, problem, dtype);
  const backward = runBackward(backend, problem, forward, cotangents, dtype);
  const produced = backward.tensors.filter((t) => t.dtype !== 'int32');
  const bits = produced.map((t) => new Uint8Array(backend.readSync(t.dataId).slice().buffer));
  disposeAll(backend, backward.tensors);
  return bits;
}

describe('RnnForward and RnnBackward determinism', () => {
  it('give the same bits for the same call, whatever ran on the backend before', () => {
    fc.assert(
      fc.property(scenario, ({ target, history }) => {
        const backend = new CpuBackend();
        const before = bitsOf(backend, target);
        for (const other of history) bitsOf(backend, other);
        expect(bitsOf(backend, target)).toEqual(before);
        expect(bitsOf(new CpuBackend(), target)).toEqual(before);
        expect(backend.memory().numDataIds).toBe(0);
      }),
      { numRuns: 25 },
    );
    // 25 scenarios of up to 8 fused calls each: about 20 s alone, several times that when CI
    // runs other packages' tests beside it on the same two cores.
  }, 240_000);
});
