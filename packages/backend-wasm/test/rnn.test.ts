/**
 * The wasm fused recurrent kernels (forward and backward) against the cpu backend.
 */
import type { RnnMode } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { backends, expectClose, type HostTensor, rng } from './helpers.js';
import { randomRnnCase, runRnn } from './rnn_util.js';

const MODES: RnnMode[] = ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'];

describe('fused RnnForward/RnnBackward vs cpu', () => {
  const random = rng(11);
  for (const mode of MODES) {
    it(`${mode}: odd sizes, both directions, with and without lengths`, async () => {
      const { cpu, wasm } = await backends();
      const sizes: [number, number, number, number][] = [
        [1, 1, 1, 1],
        [3, 5, 7, 17],
        [2, 4, 3, 33],
        [5, 3, 1, 4],
        [4, 6, 33, 8],
        [2, 0, 3, 5],
        [0, 3, 2, 4],
      ];
      for (const [B, T, I, H] of sizes)
        for (const reverse of [false, true])
          for (const withLengths of [false, true]) {
            const lengths = withLengths
              ? Array.from({ length: B }, (_, b) => (b === 0 ? T : Math.floor(random() * (T + 1))))
              : undefined;
            const c = randomRnnCase(random, mode, B, T, I, H, reverse, lengths);
            const expected = runRnn(cpu, c);
            const actual = runRnn(wasm, c);
            expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
            for (const key of Object.keys(expected)) {
              expectClose(
                actual[key],
                expected[key],
                { rtol: 2e-5, atol: 1e-6 },
                `${mode} B${B} T${T} I${I} H${H} rev=${reverse} len=${lengths} ${key}`,
              );
            }
          }
    });
  }

  it('a realistic LSTM (batch 32, 20 steps, input 64, hidden 128) matches', async () => {
    const { cpu, wasm } = await backends();
    const c = randomRnnCase(rng(12), 'LSTM', 32, 20, 64, 128, false);
    const expected = runRnn(cpu, c);
    const actual = runRnn(wasm, c);
    for (const key of Object.keys(expected))
      expectClose(actual[key], expected[key], { rtol: 1e-4 }, key);
  });

  it('inference mode returns an empty reserve and the same outputs', async () => {
    const { wasm } = await backends();
    const c = randomRnnCase(rng(13), 'GRU', 3, 4, 5, 6, true, [4, 2, 0]);
    const trained = runRnn(wasm, c);
    const x = wasm.write(c.x.values, c.x.shape, 'float32');
    const info = (t: HostTensor) => ({
      dataId: wasm.write(t.values, t.shape, t.dtype),
      shape: t.shape,
      dtype: t.dtype,
    });
    const out = wasm.kernels.RnnForward(
      {
        x: { dataId: x, shape: c.x.shape, dtype: 'float32' },
        wIh: info(c.wIh),
        wHh: info(c.wHh),
        bIh: info(c.bIh),
        bHh: info(c.bHh),
        h0: info(c.h0),
        lengths: info(c.lengths!),
      },
      { mode: 'GRU', reverse: true, training: false },
      wasm,
    );
    expect(out.reserve.shape).toEqual([0]);
    expect(Array.from(wasm.readSync(out.y.dataId))).toEqual(Array.from(trained.y.values));
    expect(Array.from(wasm.readSync(out.hN.dataId))).toEqual(Array.from(trained.hN.values));
  });
});
