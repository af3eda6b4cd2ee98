/**
 * Checkpointed backpropagation through time on the gpujs fused recurrent kernels: the reserve
 * holds only segment boundaries, and the gradients equal the plain path's.
 */
import type { RnnMode, RnnWeightsInputs, TensorInfo } from '@rnnkit/core';
import { ValueError } from '@rnnkit/core';
import { mulberry32, randomCotangents, randomRnnProblem, runTraining } from '@rnnkit/test-utils';
import { describe, expect, it } from 'vitest';
import { expectClose, gpuBackend, put } from './helpers.js';

/**
 * The checkpointed backward recomputes each segment with the same kernels on the same inputs as
 * the forward, and the weight products then run over the same rows, so the gradients agree with
 * the plain path's to float32 rounding; 1e-6 of the tensor's scale allows a few ulps without
 * hiding a wrong boundary (that shows up as errors of order 1e-2).
 */
const VS_PLAIN = 1e-6;

const MODES: RnnMode[] = ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'];

interface Problem {
  B: number;
  T: number;
  I: number;
  H: number;
  lengths?: number[];
}

const PROBLEMS: Problem[] = [
  { B: 3, T: 11, I: 4, H: 5, lengths: [11, 4, 0] },
  { B: 2, T: 9, I: 3, H: 6 },
];

/** Forward (training) and backward on gpujs with segment length `checkpoint` (0: plain). */
async function train(mode: RnnMode, p: Problem, reverse: boolean, checkpoint: number) {
  const gpu = await gpuBackend();
  const random = mulberry32(7 + p.T);
  const problem = {
    ...randomRnnProblem(random, mode, [p.B, p.T, p.I, p.H], { reverse, lengths: p.lengths }),
    checkpoint: checkpoint > 0 ? checkpoint : undefined,
  };
  let reserveSize = 0;
  let reserveParts = 0;
  const values = runTraining(gpu, problem, randomCotangents(random, problem), 'float32', (o) => {
    reserveSize = o.reserve.shape[0];
    reserveParts = gpu.parts(o.reserve).length;
  });
  return { values, reserveSize, reserveParts };
}

describe.each(MODES.map((m) => [m]))('%s with checkpoint', (mode) => {
  it.each(PROBLEMS.map((p) => [JSON.stringify(p), p]))(
    'keeps only segment boundaries and matches the plain gradients: %s',
    async (_label, p) => {
      const W = mode === 'LSTM' ? 2 * p.H : p.H;
      for (const reverse of [false, true]) {
        const plain = await train(mode, p, reverse, 0);
        for (const S of [1, 3, p.T, p.T + 5]) {
          const cp = await train(mode, p, reverse, S);
          const segments = Math.ceil(p.T / S);
          expect(cp.reserveParts).toBe(segments);
          expect(cp.reserveSize).toBe(segments * p.B * W);
          expect(cp.reserveSize).toBeLessThan(plain.reserveSize);
          for (const [key, expected] of Object.entries(plain.values)) {
            expectClose(
              cp.values[key],
              expected,
              VS_PLAIN,
              `${mode} reverse=${reverse} S=${S} ${key}`,
            );
          }
        }
        // The plain reserve: every state and, for gated cells, every step's `[B, 4H]` gates.
        const gates = mode === 'LSTM' || mode === 'GRU' ? p.T * p.B * 4 * p.H : 0;
        expect(plain.reserveSize).toBe((p.T + 1) * p.B * W + gates);
      }
    },
  );
});

describe('checkpointed recurrent kernels on the GPU', () => {
  it('frees every recomputed texture', async () => {
    const gpu = await gpuBackend();
    const before = gpu.memory();
    await train('GRU', { B: 2, T: 7, I: 3, H: 4, lengths: [7, 3] }, true, 3);
    const after = gpu.memory();
    expect(after.textures).toBe(before.textures);
    expect(after.numDataIds).toBe(before.numDataIds);
  });

  it('rejects a plain reserve given a checkpoint, naming the counts', async () => {
    const gpu = await gpuBackend();
    const mode: RnnMode = 'RNN_TANH';
    const inputs: Record<string, TensorInfo> = {
      x: put(gpu, [1, 2, 3, 4], [1, 4, 1]),
      wIh: put(gpu, [0.5], [1, 1]),
      wHh: put(gpu, [0.5], [1, 1]),
      bIh: put(gpu, [0], [1]),
      bHh: put(gpu, [0], [1]),
      h0: put(gpu, [0], [1, 1]),
    };
    const w = inputs as unknown as RnnWeightsInputs;
    const fwd = gpu.kernels.RnnForward(w, { mode, reverse: false, training: true }, gpu);
    const backward = () =>
      gpu.kernels.RnnBackward(
        { ...w, y: fwd.y, reserve: fwd.reserve, dy: fwd.y, dhN: fwd.hN },
        { mode, reverse: false, checkpoint: 2 },
        gpu,
      );
    expect(backward).toThrow(ValueError);
    expect(backward).toThrow(/\(2 textures\), got 5 textures/);
    for (const info of [...Object.values(inputs), ...Object.values(fwd)])
      if (info) gpu.disposeData(info.dataId);
  });
});
