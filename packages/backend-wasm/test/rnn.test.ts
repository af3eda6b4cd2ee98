/**
 * The wasm fused recurrent kernels at the edges (no steps, no batch), on a realistic LSTM
 * against core's composed reference on wasm itself, and in inference mode. Their comparison
 * with the cpu reference (every mode, both directions, lengths, odd sizes) is
 * @rnnkit/conformance's `kernel/RnnForward` and `kernel/RnnBackward`.
 */
import type { RnnMode } from '@rnnkit/core';
import { setBackend } from '@rnnkit/core';
import {
  mulberry32,
  randomRnnPathProblem,
  runRnnPath,
  expectClose as within,
} from '@rnnkit/test-utils';
import { describe, expect, it } from 'vitest';
import { type HostTensor, rng, wasmBackend } from './helpers.js';
import { randomRnnCase, runRnn } from './rnn_util.js';

const MODES: RnnMode[] = ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'];

describe('fused RnnForward/RnnBackward', () => {
  it.each(MODES)(
    '%s with no steps passes the state through, and with no batch is empty',
    async (mode) => {
      const wasm = await wasmBackend();
      const noSteps = randomRnnCase(rng(11), mode, 3, 0, 2, 4, false);
      const out = runRnn(wasm, noSteps);
      expect(out.y.shape).toEqual([3, 0, 4]);
      expect(out.dx.shape).toEqual([3, 0, 2]);
      expect(Array.from(out.hN.values)).toEqual(Array.from(noSteps.h0.values));
      expect(Array.from(out.dh0.values)).toEqual(Array.from(noSteps.dhN.values));
      if (mode === 'LSTM') {
        expect(Array.from(out.cN.values)).toEqual(Array.from(noSteps.c0!.values));
        expect(Array.from(out.dc0.values)).toEqual(Array.from(noSteps.dcN!.values));
      }
      const noBatch = runRnn(wasm, randomRnnCase(rng(12), mode, 0, 3, 2, 4, true));
      expect(noBatch.y.shape).toEqual([0, 3, 4]);
      expect(noBatch.hN.shape).toEqual([0, 4]);
      for (const out_ of [out, noBatch])
        for (const k of ['dWIh', 'dWHh', 'dBIh', 'dBHh'])
          expect(
            out_[k].values.every((v) => v === 0),
            k,
          ).toBe(true);
    },
  );

  it("a realistic LSTM (batch 32, 20 steps, input 64, hidden 128) matches core's composed reference on wasm", async () => {
    await setBackend('wasm');
    const p = randomRnnPathProblem(mulberry32(12), {
      mode: 'LSTM',
      B: 32,
      T: 20,
      I: 64,
      H: 128,
      reverse: false,
    });
    const fused = await runRnnPath('fused', p);
    const composed = await runRnnPath('composed', p);
    // As against cpu before: float32 dot products of 64 + 128 terms per gate over 20 steps.
    within(fused.y, composed.y, 1e-4, 'y');
    within([fused.loss], [composed.loss], 1e-4, 'loss');
    composed.grads.forEach((g, k) => within(fused.grads[k], g, 1e-4, `grad ${k}`));
  });

  it('inference mode returns an empty reserve and the same outputs', async () => {
    const wasm = await wasmBackend();
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
