/**
 * Checkpointed backpropagation through time on the gpujs fused recurrent kernels: the reserve
 * holds only segment boundaries, and the gradients equal the plain path's.
 */
import type { RnnMode, RnnWeightsInputs, TensorInfo } from '@rnnkit/core';
import { GATES_PER_MODE, ValueError } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { expectClose, get, gpuBackend, put, rng, uniform } from './helpers.js';

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

type Run = (
  inputs: object,
  attrs: object,
  backend: object,
) => Record<string, TensorInfo | undefined>;

/** Forward (training) and backward on gpujs with segment length `checkpoint` (0: plain). */
async function train(mode: RnnMode, p: Problem, reverse: boolean, checkpoint: number) {
  const gpu = await gpuBackend();
  const r = rng(7 + p.T);
  const GH = GATES_PER_MODE[mode] * p.H;
  const t = (shape: number[], scale = 1) =>
    put(
      gpu,
      uniform(
        r,
        shape.reduce((a, b) => a * b, 1),
        -scale,
        scale,
      ),
      shape,
    );
  const lstm = mode === 'LSTM';
  const inputs: Record<string, TensorInfo> = {
    x: t([p.B, p.T, p.I]),
    wIh: t([GH, p.I], 0.7),
    wHh: t([GH, p.H], 0.7),
    bIh: t([GH], 0.3),
    bHh: t([GH], 0.3),
    h0: t([p.B, p.H], 0.5),
    dy: t([p.B, p.T, p.H]),
    dhN: t([p.B, p.H]),
  };
  if (lstm) {
    inputs.c0 = t([p.B, p.H], 0.5);
    inputs.dcN = t([p.B, p.H]);
  }
  if (p.lengths) inputs.lengths = put(gpu, p.lengths, [p.B], 'int32');
  const attrs = checkpoint > 0 ? { mode, reverse, checkpoint } : { mode, reverse };
  const kernels = gpu.kernels as unknown as Record<'RnnForward' | 'RnnBackward', Run>;
  const fwd = kernels.RnnForward(inputs, { ...attrs, training: true }, gpu);
  const reserve = fwd.reserve!;
  const grads = kernels.RnnBackward({ ...inputs, y: fwd.y, reserve }, attrs, gpu);
  const values = Object.fromEntries(
    Object.entries(grads).map(([k, v]) => [k, get(gpu, v as never)]),
  );
  const result = { values, reserveSize: reserve.shape[0], reserveParts: gpu.parts(reserve).length };
  for (const info of [...Object.values(inputs), ...Object.values(fwd), ...Object.values(grads)])
    if (info) gpu.disposeData(info.dataId);
  return result;
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
