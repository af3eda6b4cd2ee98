/**
 * The wasm fused recurrent kernels at the edges (no steps, no batch), on a realistic LSTM
 * against core's composed reference on wasm itself, and in inference mode. Their comparison
 * with the cpu reference (every mode, both directions, lengths, odd sizes) is
 * @rnnkit/conformance's `kernel/RnnForward` and `kernel/RnnBackward`.
 */
import type { RnnMode } from '@rnnkit/core';
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

const MODES: RnnMode[] = ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'];

describe('fused RnnForward/RnnBackward', () => {
  it.each(MODES)('%s with no steps passes the state through', async (mode) => {
    const wasm = await wasmBackend();
    const random = mulberry32(11);
    const problem = randomRnnProblem(random, mode, [3, 0, 2, 4]);
    const cotangents = randomCotangents(random, problem);
    const out = runTraining(wasm, problem, cotangents, 'float32');
    const f32 = (v: number[]) => Array.from(Float32Array.from(v));
    expect(out.y).toEqual([]);
    expect(out.dx).toEqual([]);
    expect(out.hN).toEqual(f32(problem.h0));
    expect(out.dh0).toEqual(f32(cotangents.dhN));
    if (mode === 'LSTM') {
      expect(out.cN).toEqual(f32(problem.c0!));
      expect(out.dc0).toEqual(f32(cotangents.dcN!));
    }
    for (const k of ['dwIh', 'dwHh', 'dbIh', 'dbHh'])
      expect(
        out[k].every((v) => v === 0),
        k,
      ).toBe(true);
  });

  it.each(MODES)('%s with no batch gives empty outputs and zero weight gradients', async (mode) => {
    const wasm = await wasmBackend();
    const random = mulberry32(12);
    const problem = randomRnnProblem(random, mode, [0, 3, 2, 4], { reverse: true });
    const out = runTraining(wasm, problem, randomCotangents(random, problem), 'float32');
    for (const k of ['y', 'hN', 'dx', 'dh0']) expect(out[k], k).toEqual([]);
    for (const k of ['dwIh', 'dwHh', 'dbIh', 'dbHh'])
      expect(
        out[k].every((v) => v === 0),
        k,
      ).toBe(true);
  });

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
