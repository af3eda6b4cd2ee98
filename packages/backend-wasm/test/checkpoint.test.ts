/**
 * Checkpointed backpropagation through time in the fused kernels: the same outputs and
 * gradients as wasm's own plain path (to float32 rounding: the recomputed segments may round
 * differently) on one thread and with the batch split across workers. Checkpointed kernels
 * against the cpu reference are @rnnkit/conformance's `.../checkpoint=S` cases.
 */
import type { RnnMode } from '@rnnkit/core';
import {
  expectWithin,
  integers,
  mulberry32,
  randomCotangents,
  randomRnnProblem,
  runTraining,
} from '@rnnkit/test-utils';
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../src/index.js';

const MODES: RnnMode[] = ['RNN_TANH', 'LSTM', 'GRU'];

describe.each([0, 1])('checkpointed RnnForward/RnnBackward (%i workers)', (threads) => {
  it.each(MODES)('%s: batch 32 (split into parts), lengths, both directions', async (mode) => {
    const wasm = await createWasmBackend({ threads });
    const random = mulberry32(31);
    const [B, T, I, H] = [32, 37, 5, 32];
    for (const reverse of [false, true]) {
      const lengths = [T, ...integers(random, B - 1, 0, T + 1)];
      const problem = randomRnnProblem(random, mode, [B, T, I, H], { reverse, lengths });
      const cotangents = randomCotangents(random, problem);
      const expected = runTraining(wasm, problem, cotangents, 'float32');
      for (const checkpoint of [1, 6, 50]) {
        const actual = runTraining(wasm, { ...problem, checkpoint }, cotangents, 'float32');
        expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
        for (const key of Object.keys(expected)) {
          const label = `${key} S=${checkpoint} reverse=${reverse}`;
          expectWithin(actual[key], expected[key], { rtol: 1e-4, atol: 1e-5 }, label);
        }
      }
    }
    expect(wasm.memory().numDataIds).toBe(0);
    wasm.dispose();
  });
});
