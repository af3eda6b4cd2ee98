/**
 * The multi-threaded build must give bit-identical results to the single-threaded one: the
 * workers take whole column panels, so every output element is summed in the same order.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createWasmBackend, type WasmBackend } from '../src/index.js';
import { randomF32, rng, runKernel } from './helpers.js';
import { randomRnnCase, runRnn } from './rnn_util.js';

describe('worker threads', async () => {
  const single = await createWasmBackend({ threads: 0 });
  const multi = await createWasmBackend({ threads: 2, initialPages: 16 });
  afterAll(() => {
    single.dispose();
    multi.dispose();
  });

  it('starts the requested workers in Node', () => {
    expect(single.threads).toBe(1);
    expect(multi.threads).toBe(3);
    expect(multi.describe()).toMatch(/3 threads/);
    expect(multi.memoryObject.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('matrix products are bit-identical to one thread', () => {
    const random = rng(31);
    for (const [m, k, n, tA, tB] of [
      [512, 300, 257, false, true],
      [33, 129, 1000, true, false],
      [32, 128, 512, false, true],
      [700, 64, 17, false, false],
    ] as const) {
      const a = randomF32(tA ? [k, m] : [m, k], random);
      const b = randomF32(tB ? [n, k] : [k, n], random);
      const attrs = { transposeA: tA, transposeB: tB };
      const y1 = runKernel(single, 'MatMul', { a, b }, attrs).y.values;
      const y3 = runKernel(multi, 'MatMul', { a, b }, attrs).y.values;
      expect(Buffer.from(y3.buffer).equals(Buffer.from(y1.buffer))).toBe(true);
    }
  });

  it('fused LSTM and GRU training steps are bit-identical to one thread, across memory growth', () => {
    const random = rng(32);
    for (const mode of ['LSTM', 'GRU'] as const) {
      const c = randomRnnCase(random, mode, 32, 20, 64, 128, mode === 'GRU', undefined);
      const r1 = runRnn(single, c);
      const pagesBefore = multi.memory().wasmPages as number;
      const r3 = runRnn(multi, c);
      expect(multi.memory().wasmPages as number).toBeGreaterThanOrEqual(pagesBefore);
      for (const key of Object.keys(r1)) {
        expect(
          Buffer.from(r3[key].values.buffer).equals(Buffer.from(r1[key].values.buffer)),
          key,
        ).toBe(true);
      }
    }
    expect(multi.memory().wasmPages as number).toBeGreaterThan(16);
  });

  it('the workers take part in the products', () => {
    const random = rng(33);
    const a = randomF32([256, 256], random);
    const b = randomF32([256, 256], random);
    const deadline = Date.now() + 5000;
    while (multi.workerChunks === 0 && Date.now() < deadline) {
      runKernel(multi, 'MatMul', { a, b }, { transposeA: false, transposeB: false });
    }
    expect(multi.workerChunks).toBeGreaterThan(0);
  });

  it('dispose stops the workers', async () => {
    const backend: WasmBackend = await createWasmBackend({ threads: 1 });
    expect(backend.threads).toBe(2);
    backend.dispose();
    expect(backend.threads).toBe(1);
  });
});
