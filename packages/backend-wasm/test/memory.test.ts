/**
 * Memory growth: linear memory starts at 1 MiB and must grow many times while an LSTM trains
 * (a large block is also allocated in the middle of the loop). Growth replaces the ArrayBuffer
 * behind every typed-array view, so any stale view would corrupt or lose data; the trained
 * weights must still equal those of a wasm backend whose memory never had to grow.
 */
import {
  add,
  getBackend,
  matMul,
  memory,
  mul,
  registerBackend,
  rnnSequence,
  setBackend,
  sub,
  sum,
  type Tensor,
  tensor,
  tidy,
  type Variable,
  variable,
  variableGrads,
  zeros,
} from '@rnnkit/core';
import { expectWithin } from '@rnnkit/test-utils';
import { describe, expect, it } from 'vitest';
import { createWasmBackend, type WasmBackend } from '../src/index.js';
import { type HostTensor, randomF32, rng } from './helpers.js';

registerBackend(
  'wasm-tiny',
  () => createWasmBackend({ initialPages: 16, name: 'wasm-tiny', threads: 0 }),
  0,
);
registerBackend(
  'wasm-roomy',
  () => createWasmBackend({ initialPages: 1024, name: 'wasm-roomy', threads: 0 }),
  0,
);
registerBackend(
  'wasm-tiny-mt',
  () => createWasmBackend({ initialPages: 16, name: 'wasm-tiny-mt', threads: 1 }),
  0,
);

interface Run {
  weights: Float32Array[];
  losses: number[];
}

async function train(
  backendName: string,
  forceGrowthAt: number,
): Promise<Run & { pagesBefore: number; pagesAfter: number }> {
  await setBackend(backendName);
  const random = rng(21);
  const [B, T, I, H] = [8, 12, 10, 24];
  const host = {
    x: randomF32([B, T, I], random),
    target: randomF32([B, H], random),
    wIh: randomF32([4 * H, I], random, -0.2, 0.2),
    wHh: randomF32([4 * H, H], random, -0.2, 0.2),
    bIh: randomF32([4 * H], random, -0.2, 0.2),
    bHh: randomF32([4 * H], random, -0.2, 0.2),
    wOut: randomF32([H, H], random, -0.2, 0.2),
  };
  const t = (h: HostTensor): Tensor => tensor(h.values as Float32Array, h.shape);
  const x = t(host.x);
  const target = t(host.target);
  const params: Variable[] = [
    variable(t(host.wIh), 'wIh'),
    variable(t(host.wHh), 'wHh'),
    variable(t(host.bIh), 'bIh'),
    variable(t(host.bHh), 'bHh'),
    variable(t(host.wOut), 'wOut'),
  ];
  const [wIh, wHh, bIh, bHh, wOut] = params;
  const pages = () => Number(getBackend().memory().wasmPages ?? 0);
  const pagesBefore = pages();
  const losses: number[] = [];
  let ballast: Tensor | undefined;
  for (let step = 0; step < 6; step++) {
    if (step === forceGrowthAt) ballast = zeros([8 * 1024 * 1024]); // 32 MiB mid-training
    const lossValue = tidy(() => {
      const { value, grads } = variableGrads(() => {
        const { hN } = rnnSequence({
          mode: 'LSTM',
          x,
          wIh,
          wHh,
          bIh,
          bHh,
          h0: zeros([B, H]),
          c0: zeros([B, H]),
        });
        const err = sub(matMul(hN, wOut), target);
        return sum(mul(err, err));
      }, params);
      params.forEach((p, i) => {
        p.assign(sub(p, mul(grads[i], tensor([0.05]))));
      });
      return value.dataSync()[0];
    });
    losses.push(lossValue);
  }
  const weights = params.map((p) => p.dataSync() as Float32Array);
  const pagesAfter = pages();
  ballast?.dispose();
  x.dispose();
  target.dispose();
  for (const p of params) p.dispose();
  return { weights, losses, pagesBefore, pagesAfter };
}

describe('memory growth', () => {
  it.each(['wasm-tiny', 'wasm-tiny-mt'])(
    '%s: training survives linear memory growth and matches a backend that never grew',
    async (name) => {
      const expected = await train('wasm-roomy', -1);
      expect(expected.pagesAfter).toBe(expected.pagesBefore);
      const actual = await train(name, 3);
      expect(actual.pagesBefore).toBeLessThanOrEqual(64);
      expect(actual.pagesAfter).toBeGreaterThan(512); // grew past the 32 MiB ballast
      expect(actual.losses[5]).toBeLessThan(actual.losses[0]);
      for (let i = 0; i < expected.losses.length; i++) {
        expect(Math.abs(actual.losses[i] - expected.losses[i])).toBeLessThan(
          1e-4 * Math.abs(expected.losses[i]),
        );
      }
      expected.weights.forEach((w, i) => {
        expectWithin(actual.weights[i], w, { rtol: 1e-4 }, `weight ${i}`);
      });
    },
  );

  it('frees storage: no leaked blocks, and freed memory is reused rather than grown', async () => {
    await setBackend('wasm-tiny');
    const backend = getBackend() as WasmBackend;
    const before = backend.memory();
    for (let i = 0; i < 200; i++) {
      tidy(() => {
        add(zeros([256, 256]), zeros([256, 256]));
      });
    }
    const after = backend.memory();
    expect(after.numDataIds).toBe(before.numDataIds);
    expect(after.numBytes).toBe(before.numBytes);
    // 200 iterations allocate 150 MiB in total; reuse keeps memory at a few blocks' worth.
    expect(after.wasmBytes as number).toBeLessThan((before.wasmBytes as number) + 8 * 1024 * 1024);
    expect(memory().numTensors).toBeGreaterThanOrEqual(0);
  });

  it.each([0, 1])(
    'views taken before an allocation are never reused after growth (%i workers)',
    async (threads) => {
      const backend = await createWasmBackend({ initialPages: 16, threads });
      const a = backend.write(Float32Array.from([1, 2, 3]), [3], 'float32');
      const oldBuffer = backend.memoryObject.buffer;
      const big = backend.write(new Float32Array(4 * 1024 * 1024), [4 * 1024 * 1024], 'float32');
      expect(backend.memoryObject.buffer).not.toBe(oldBuffer);
      // Growth detaches a plain ArrayBuffer; a SharedArrayBuffer keeps its old, shorter length.
      expect(oldBuffer.byteLength).toBeLessThan(backend.memoryObject.buffer.byteLength);
      if (threads === 0) expect(oldBuffer.byteLength).toBe(0);
      expect(Array.from(backend.readSync(a))).toEqual([1, 2, 3]);
      const b = backend.write(Float32Array.from([4, 5, 6]), [3], 'float32');
      expect(Array.from(backend.readSync(b))).toEqual([4, 5, 6]);
      backend.disposeData(a);
      backend.disposeData(b);
      backend.disposeData(big);
      expect(backend.memory().numDataIds).toBe(0);
      backend.dispose();
    },
  );
});
