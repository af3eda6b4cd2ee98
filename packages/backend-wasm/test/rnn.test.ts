/**
 * The wasm fused recurrent kernels on a realistic LSTM against core's composed reference on
 * wasm itself, and in inference mode. Their comparison with the cpu reference (every mode, both
 * directions, lengths, odd sizes, no steps, no batch) is @rnnkit/conformance's
 * `kernel/RnnForward` and `kernel/RnnBackward`.
 */
import { setBackend } from '@rnnkit/core';
import {
  disposeAll,
  expectClose,
  get,
  mulberry32,
  randomCotangents,
  randomRnnProblem,
  runForward,
  runRnnPath,
  runTraining,
} from '@rnnkit/test-utils';
import { describe, expect, it } from 'vitest';
import { wasmBackend } from './helpers.js';

describe('fused RnnForward/RnnBackward', () => {
  it("a realistic LSTM (batch 32, 20 steps, input 64, hidden 128) matches core's composed reference on wasm", async () => {
    await setBackend('wasm');
    const random = mulberry32(12);
    const problem = randomRnnProblem(random, 'LSTM', [32, 20, 64, 128]);
    const cotangents = randomCotangents(random, problem);
    const fused = await runRnnPath('fused', problem, cotangents);
    const composed = await runRnnPath('composed', problem, cotangents);
    // As against cpu before: float32 dot products of 64 + 128 terms per gate over 20 steps.
    expectClose(fused.y, composed.y, 1e-4, 'y');
    expectClose([fused.loss], [composed.loss], 1e-4, 'loss');
    composed.grads.forEach((g, k) => expectClose(fused.grads[k], g, 1e-4, `grad ${k}`));
  });

  it('inference mode returns an empty reserve and the same outputs', async () => {
    const wasm = await wasmBackend();
    const random = mulberry32(13);
    const problem = randomRnnProblem(random, 'GRU', [3, 4, 5, 6], {
      reverse: true,
      lengths: [4, 2, 0],
    });
    const trained = runTraining(wasm, problem, randomCotangents(random, problem), 'float32');
    const inference = runForward(wasm, problem, 'float32', false);
    expect(inference.outputs.reserve.shape).toEqual([0]);
    expect(inference.y).toEqual(trained.y);
    expect(inference.hN).toEqual(trained.hN);
    expect(get(wasm, inference.outputs.reserve)).toEqual([]);
    disposeAll(wasm, [...Object.values(inference.inputs), ...Object.values(inference.outputs)]);
  });
});
