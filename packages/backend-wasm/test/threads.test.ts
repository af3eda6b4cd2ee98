/**
 * The worker threads: results bit-identical to one thread (every output element is summed in the
 * same order whichever thread computes it: batch parts of the fused kernels, row blocks of the
 * products), the workers actually take part, and the single-thread fallback and its reason.
 */
import type { RnnMode } from '@rnnkit/core';
import { randomCotangents, randomRnnProblem, runTraining } from '@rnnkit/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { createWasmBackend, defaultWasmUrl, type WasmBackend } from '../src/index.js';
import { MAX_AUTO_THREADS, planThreads, type ThreadEnvironment } from '../src/threads.js';
import { randomF32, rng, runKernel } from './helpers.js';

function sameBits(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

describe('worker threads', async () => {
  const single = await createWasmBackend({ threads: 0 });
  const multi = await createWasmBackend({ threads: 2, initialPages: 16 });
  afterAll(() => {
    single.dispose();
    multi.dispose();
  });

  it('starts the requested workers in Node', () => {
    expect(single.threads).toBe(1);
    expect(single.describe()).toMatch(/1 thread$/);
    expect(multi.threads).toBe(3);
    expect(multi.describe()).toMatch(/3 threads$/);
    expect(multi.memoryObject.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(multi.memory().threads).toBe(3);
  });

  it('matrix products are bit-identical to one thread', () => {
    const random = rng(31);
    for (const [m, k, n, tA, tB] of [
      [512, 300, 257, false, true],
      [33, 129, 1000, true, false],
      [130, 1100, 64, false, false],
      [700, 64, 17, false, false],
      [7, 64, 17, false, false],
    ] as const) {
      const a = randomF32(tA ? [k, m] : [m, k], random);
      const b = randomF32(tB ? [n, k] : [k, n], random);
      const attrs = { transposeA: tA, transposeB: tB };
      const y1 = runKernel(single, 'MatMul', { a, b }, attrs).y.values;
      const y3 = runKernel(multi, 'MatMul', { a, b }, attrs).y.values;
      expect(sameBits(y3, y1), `${m}x${k}x${n}`).toBe(true);
    }
  });

  it('fused forward and backward passes are bit-identical to one thread, across memory growth', () => {
    const random = rng(32);
    const lengthsOf = (B: number, T: number) =>
      Array.from({ length: B }, (_, b) => (b % 3 === 0 ? T : 1 + ((b * 7) % T)));
    const problem = (mode: RnnMode, sizes: number[], reverse: boolean, lengths?: number[]) => {
      const p = randomRnnProblem(random, mode, sizes, { reverse, lengths });
      return { p, cotangents: randomCotangents(random, p) };
    };
    const cases = [
      problem('LSTM', [48, 50, 64, 128], false),
      problem('LSTM', [17, 25, 33, 96], true, lengthsOf(17, 25)),
      problem('GRU', [40, 20, 64, 128], true),
      problem('GRU', [19, 30, 48, 64], false, lengthsOf(19, 30)),
      problem('RNN_TANH', [48, 30, 64, 160], false, lengthsOf(48, 30)),
      problem('RNN_RELU', [33, 30, 64, 131], true),
      // Below the split thresholds: one part on the calling thread.
      problem('LSTM', [3, 5, 4, 6], false),
    ];
    const pagesBefore = multi.memory().wasmPages as number;
    for (const { p, cotangents } of cases) {
      const r1 = runTraining(single, p, cotangents, 'float32');
      const r3 = runTraining(multi, p, cotangents, 'float32');
      const label = `${p.mode} B${p.batch} T${p.steps}`;
      expect(Object.keys(r3).sort(), label).toEqual(Object.keys(r1).sort());
      for (const key of Object.keys(r1)) {
        const bits = (v: number[]) => Float32Array.from(v);
        expect(sameBits(bits(r3[key]), bits(r1[key])), `${label} ${key}`).toBe(true);
      }
    }
    expect(multi.memory().wasmPages as number).toBeGreaterThan(pagesBefore);
  });

  it('the workers take part in the fused kernels and the products', () => {
    const random = rng(33);
    const p = randomRnnProblem(random, 'LSTM', [32, 30, 64, 128]);
    const cotangents = randomCotangents(random, p);
    const deadline = Date.now() + 20_000;
    const before = multi.workerParts;
    while (multi.workerParts === before && Date.now() < deadline)
      runTraining(multi, p, cotangents, 'float32');
    expect(multi.workerParts).toBeGreaterThan(before);
  });

  it('dispose stops the workers', async () => {
    const backend: WasmBackend = await createWasmBackend({ threads: 1 });
    expect(backend.threads).toBe(2);
    backend.dispose();
    expect(backend.threads).toBe(1);
  });

  it("defaults to 'auto': one thread per core, at most MAX_AUTO_THREADS", async () => {
    const { availableParallelism } = await import('node:os');
    const backend = await createWasmBackend();
    const expected =
      process.env.RNNKIT_WASM_THREADS === undefined
        ? Math.min(availableParallelism(), MAX_AUTO_THREADS)
        : backend.threads;
    expect(backend.threads).toBe(expected);
    backend.dispose();
  });

  it('rejects a bad RNNKIT_WASM_THREADS, naming it', async () => {
    const saved = process.env.RNNKIT_WASM_THREADS;
    process.env.RNNKIT_WASM_THREADS = 'many';
    try {
      await expect(createWasmBackend()).rejects.toThrow(/RNNKIT_WASM_THREADS must be .*'many'/);
    } finally {
      if (saved === undefined) delete process.env.RNNKIT_WASM_THREADS;
      else process.env.RNNKIT_WASM_THREADS = saved;
    }
  });

  it('a custom module runs on one thread and says why', async () => {
    const backend = await createWasmBackend({ wasm: defaultWasmUrl(), threads: 2 });
    expect(backend.threads).toBe(1);
    expect(backend.describe()).toMatch(/1 thread \(a custom module was given/);
    backend.dispose();
  });
});

describe('planThreads (the single-thread fallback)', () => {
  const node: ThreadEnvironment = {
    isNode: true,
    hasSharedArrayBuffer: true,
    cores: 2,
    customModule: false,
  };
  const browser: ThreadEnvironment = { ...node, isNode: false };

  it("'auto' starts one worker per extra core, capped", () => {
    expect(planThreads('auto', node)).toEqual({ workers: 1 });
    expect(planThreads('auto', { ...node, cores: 1 })).toEqual({ workers: 0 });
    expect(planThreads('auto', { ...node, cores: 64 })).toEqual({ workers: MAX_AUTO_THREADS - 1 });
    expect(planThreads(0, node)).toEqual({ workers: 0 });
    expect(planThreads(5, node)).toEqual({ workers: 5 });
  });

  it('a browser page without cross-origin isolation falls back to one thread and says so', () => {
    const plan = planThreads('auto', { ...browser, hasSharedArrayBuffer: false });
    expect(plan.workers).toBe(0);
    expect(plan.reason).toMatch(
      /SharedArrayBuffer is unavailable: the page is not cross-origin isolated/,
    );
    expect(plan.reason).toMatch(/Cross-Origin-Opener-Policy: same-origin/);
  });

  it('other environments without threads say why', () => {
    expect(planThreads('auto', browser)).toEqual({
      workers: 0,
      reason: 'worker threads are implemented for Node.js only',
    });
    expect(planThreads(2, { ...node, hasSharedArrayBuffer: false }).reason).toBe(
      'SharedArrayBuffer is unavailable',
    );
    expect(planThreads(2, { ...node, customModule: true }).reason).toMatch(/custom module/);
    // Nothing to explain when one thread was asked for.
    expect(planThreads(0, { ...browser, hasSharedArrayBuffer: false })).toEqual({ workers: 0 });
  });

  it('rejects a bad thread count, naming the option', () => {
    expect(() => planThreads(-1, node)).toThrow(
      /threads must be 'auto' or a non-negative integer.*-1/,
    );
    expect(() => planThreads(1.5, node)).toThrow(RangeError);
  });
});
