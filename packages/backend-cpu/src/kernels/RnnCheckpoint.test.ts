/**
 * Checkpointed backpropagation through time on the cpu backend: the gradients equal the plain
 * path's bit for bit in float64 and float32, for every mode, direction, lengths and segment
 * length, and the kept reserve shrinks to the segment boundaries.
 */
import type { RnnMode } from '@rnnkit/core';
import { GATES_PER_MODE } from '@rnnkit/core';
import {
  mulberry32,
  type RnnCotangents,
  type RnnProblem,
  runBackward,
  runForward,
} from '@rnnkit/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backend.js';

const MODES: readonly RnnMode[] = ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'];

const checkpointCase = fc
  .record({
    mode: fc.constantFrom(...MODES),
    reverse: fc.boolean(),
    batch: fc.integer({ min: 1, max: 3 }),
    steps: fc.integer({ min: 0, max: 9 }),
    inputSize: fc.integer({ min: 1, max: 3 }),
    hidden: fc.integer({ min: 1, max: 4 }),
    segment: fc.integer({ min: 1, max: 11 }),
    seed: fc.integer(),
    withLengths: fc.boolean(),
    dtype: fc.constantFrom('float32' as const, 'float64' as const),
  })
  .chain((sizes) =>
    fc
      .array(fc.integer({ min: 0, max: sizes.steps }), {
        minLength: sizes.batch,
        maxLength: sizes.batch,
      })
      .map((lengths) => ({ ...sizes, lengths: sizes.withLengths ? lengths : undefined })),
  )
  .map((c) => {
    const next = mulberry32(c.seed);
    const random = (n: number, scale = 1) =>
      Array.from({ length: n }, () => (2 * next() - 1) * scale);
    const { batch: B, steps: T, inputSize: I, hidden: H } = c;
    const GH = GATES_PER_MODE[c.mode] * H;
    const isLstm = c.mode === 'LSTM';
    const problem: RnnProblem = {
      mode: c.mode,
      reverse: c.reverse,
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
      lengths: c.lengths,
    };
    const cotangents: RnnCotangents = {
      dy: random(B * T * H),
      dhN: random(B * H),
      dcN: isLstm ? random(B * H) : undefined,
    };
    return { problem, cotangents, segment: c.segment, dtype: c.dtype };
  });

describe('RnnForward/RnnBackward with checkpoint', () => {
  it('give exactly the plain path’s outputs and gradients', () => {
    fc.assert(
      fc.property(checkpointCase, ({ problem, cotangents, segment, dtype }) => {
        const backend = new CpuBackend();
        const plainForward = runForward(backend, problem, dtype);
        const plain = runBackward(backend, problem, plainForward, cotangents, dtype);
        const checkpointed = { ...problem, checkpoint: segment };
        const forward = runForward(backend, checkpointed, dtype);
        const grads = runBackward(backend, checkpointed, forward, cotangents, dtype);
        expect([forward.y, forward.hN, forward.cN]).toEqual([
          plainForward.y,
          plainForward.hN,
          plainForward.cN,
        ]);
        const { tensors: _a, ...plainGrads } = plain;
        const { tensors: _b, ...checkpointGrads } = grads;
        expect(checkpointGrads).toEqual(plainGrads);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps only the state before each segment: [⌈T/S⌉, B, 2H] for an LSTM', () => {
    const backend = new CpuBackend();
    const [B, T, I, H, S] = [2, 10, 3, 4, 3];
    const random = mulberry32(5);
    const values = (n: number) => Array.from({ length: n }, () => random() - 0.5);
    const problem: RnnProblem = {
      mode: 'LSTM',
      reverse: false,
      batch: B,
      steps: T,
      inputSize: I,
      hidden: H,
      x: values(B * T * I),
      wIh: values(4 * H * I),
      wHh: values(4 * H * H),
      bIh: values(4 * H),
      bHh: values(4 * H),
      h0: values(B * H),
      c0: values(B * H),
      checkpoint: S,
    };
    const forward = runForward(backend, problem);
    expect(forward.outputs.reserve.shape).toEqual([4, B, 2 * H]);
    // Boundary 0 is the initial state; boundary 1 the state after step 2 (y at t = 2).
    const reserve = Array.from(backend.readSync(forward.outputs.reserve.dataId));
    expect(reserve.slice(0, H)).toEqual(problem.h0.slice(0, H));
    expect(reserve.slice(H, 2 * H)).toEqual(problem.c0?.slice(0, H));
    expect(reserve.slice(2 * B * H, 2 * B * H + H)).toEqual(forward.y.slice(2 * H, 3 * H));
  });

  it('refuses a plain reserve given a checkpoint, naming the mismatch', () => {
    const backend = new CpuBackend();
    const problem: RnnProblem = {
      mode: 'RNN_TANH',
      reverse: false,
      batch: 1,
      steps: 4,
      inputSize: 1,
      hidden: 1,
      x: [1, 2, 3, 4],
      wIh: [0.5],
      wHh: [0.5],
      bIh: [0],
      bHh: [0],
      h0: [0],
    };
    const forward = runForward(backend, problem);
    expect(() =>
      runBackward(backend, { ...problem, checkpoint: 2 }, forward, { dy: [0, 0, 0, 0], dhN: [0] }),
    ).toThrow(/\(2 values\), got 0 values/);
  });
});
