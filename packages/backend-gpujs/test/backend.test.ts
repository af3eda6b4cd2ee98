/**
 * Tests of the gpujs backend itself: its public face, the GL path, storage, lifetimes, use through
 * core, and behaviour without GL.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  BackendError,
  getBackend,
  listBackends,
  registerBackend,
  removeBackend,
  setBackend,
} from '@rnnkit/core';
import { mulberry32, randomCotangents, randomRnnProblem, runRnnPath } from '@rnnkit/test-utils';
import { HeadlessGLKernel } from 'gpu.js';
import { describe, expect, it } from 'vitest';
import { createGpujsBackend, GpujsBackend, gpujsKernels } from '../src/index.js';
import { expectClose, get, gpuBackend, put, rng, uniform } from './helpers.js';
import { GPUJS_BACKEND_NAME, listedKernelTypes } from './registration.js';

const run = promisify(execFile);

describe('the package face', () => {
  it("is every backend package's: name constant, factory with options, kernel table, describe()", async () => {
    const gpu = await gpuBackend();
    expect(gpu).toBeInstanceOf(GpujsBackend);
    expect(gpu.name).toBe(GPUJS_BACKEND_NAME);
    expect(gpu.kernels).toBe(gpujsKernels);
    expect(gpu.describe()).toMatch(/^gpujs: /);
    const named = await createGpujsBackend({ name: 'gpujs-2' });
    expect(named.name).toBe('gpujs-2');
    named.dispose();
  });
});

describe('Backend.fill', () => {
  it('stores a DataId of the value, converted as a typed-array fill converts it', async () => {
    const gpu = await gpuBackend();
    expect(Array.from(gpu.readSync(gpu.fill([2, 2], 'float32', 0.5)))).toEqual([
      0.5, 0.5, 0.5, 0.5,
    ]);
    expect(Array.from(gpu.readSync(gpu.fill([3], 'int32', -1.7)))).toEqual([-1, -1, -1]);
    expect(gpu.readSync(gpu.fill([0, 3], 'float32', 1)).length).toBe(0);
  });
});

describe('the GL path', () => {
  it('runs its kernels on HeadlessGLKernel (fails loudly on any gpu.js fallback)', async () => {
    const gpu = await gpuBackend();
    expect(gpu.kernelType).toBe('HeadlessGLKernel');
    expect(gpu.mode).toBe('headlessgl');
    expect(gpu.isFallback).toBe(false);
    expect(gpu.describe()).toMatch(
      /^gpujs: gpu\.js HeadlessGLKernel \(headlessgl\) on .+, RGBA32F textures, max texture \d+$/,
    );
    const y = gpu.kernels.Unary({ x: put(gpu, [1, 2], [2]) }, { op: 'exp' }, gpu).y;
    expectClose(get(gpu, y), [Math.E, Math.E ** 2], 1e-6);
    for (const type of listedKernelTypes(gpu)) expect(type).toBe(HeadlessGLKernel.name);
  });
});

describe('storage', () => {
  it('round-trips float32 (incl. NaN, ±Infinity, -0, subnormal-free extremes) and int32', async () => {
    const gpu = await gpuBackend();
    const floats = [
      0,
      -0,
      1.5,
      -3.25e-30,
      3.4e38,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ];
    const f = put(gpu, floats, [2, 4]);
    const back = gpu.readSync(f.dataId);
    expect(back).toBeInstanceOf(Float32Array);
    expect(Array.from(back)).toEqual(Array.from(Float32Array.from(floats)));
    const ints = [0, -1, 16777216, -16777216, 123456, 7];
    const i = put(gpu, ints, [6], 'int32');
    const intsBack = await gpu.read(i.dataId);
    expect(intsBack).toBeInstanceOf(Int32Array);
    expect(Array.from(intsBack)).toEqual(ints);
  });

  it('stores tensors larger than one texture row and empty tensors', async () => {
    const gpu = await gpuBackend();
    const big = uniform(rng(1), 70_001);
    const info = put(gpu, big, [70_001]);
    expect(Array.from(gpu.readSync(info.dataId))).toEqual(Array.from(Float32Array.from(big)));
    const empty = put(gpu, [], [3, 0]);
    expect(gpu.readSync(empty.dataId)).toHaveLength(0);
  });

  it('frees textures on disposeData and counts memory', async () => {
    const gpu = await gpuBackend();
    const before = gpu.memory();
    const a = put(gpu, [1, 2, 3], [3]);
    const b = gpu.kernels.Unary({ x: a }, { op: 'neg' }, gpu).y;
    const c = gpu.kernels.Cast({ x: a }, { dtype: 'int32' }, gpu).y;
    const d = gpu.kernels.Cast({ x: a }, { dtype: 'float32' }, gpu).y; // aliases a's texture
    expect(gpu.memory().numDataIds).toBe(before.numDataIds + 4);
    expect(gpu.memory().numBytes).toBe(before.numBytes + 4 * 12);
    gpu.disposeData(a.dataId);
    expect(get(gpu, d)).toEqual([1, 2, 3]); // the alias survives its source
    for (const t of [b, c, d]) gpu.disposeData(t.dataId);
    expect(gpu.memory().numDataIds).toBe(before.numDataIds);
    expect(gpu.memory().textures).toBe(before.textures);
    expect(() => gpu.readSync(a.dataId)).toThrow(/after disposeData/);
    expect(() => gpu.readSync({})).toThrow(BackendError);
    expect(() => gpu.write(new Float32Array(2), [3], 'float32')).toThrow(/do not fill/);
    expect(() => gpu.write(new Float64Array(1), [1], 'float64')).toThrow(/float64/);
  });
});

describe('lifetime', () => {
  it('dispose() destroys the kernels and refuses further use', async () => {
    const { createGpujsBackend } = await import('../src/index.js');
    const own = await createGpujsBackend({ allowFallback: false });
    const x = put(own, [1, 2], [2]);
    own.kernels.Unary({ x }, { op: 'neg' }, own);
    expect(own.memory().cachedKernels).toBeGreaterThan(0);
    own.dispose();
    expect(own.memory().cachedKernels).toBe(0);
    expect(() => own.kernels.Unary({ x }, { op: 'abs' }, own)).toThrow(/after dispose/);
  });
});

describe('through core', () => {
  it("is registered as 'gpujs' below a backend of the default priority, such as cpu (0 < 1)", () => {
    registerBackend('priority-probe', () => {
      throw new Error('never created');
    });
    try {
      const names = listBackends();
      expect(names).toContain('gpujs');
      expect(names.indexOf('gpujs')).toBeGreaterThan(names.indexOf('priority-probe'));
    } finally {
      removeBackend('priority-probe');
    }
  });

  it("runs as the active backend: an LSTM through its fused kernels matches core's composed reference on gpujs, gradients included", async () => {
    await setBackend(GPUJS_BACKEND_NAME);
    expect(getBackend().name).toBe(GPUJS_BACKEND_NAME);
    const random = mulberry32(3);
    const problem = randomRnnProblem(random, 'LSTM', [2, 4, 3, 5], {
      reverse: true,
      lengths: [4, 2],
    });
    const cotangents = randomCotangents(random, problem);
    // Both paths run on the GPU in float32 (the composed one step by step through elementary
    // kernels): ~4·17-term dot products and llvmpipe's exp per step, 4 steps, as against cpu.
    const fused = await runRnnPath('fused', problem, cotangents);
    const composed = await runRnnPath('composed', problem, cotangents);
    expectClose([fused.loss], [composed.loss], 1e-5, 'loss');
    expectClose(fused.y, composed.y, 1e-5, 'y');
    composed.grads.forEach((g, k) => expectClose(fused.grads[k], g, 1e-5, `grad ${k}`));
  });
});

/** Runs a snippet in a fresh Node process (with tsx), without an X display. */
async function withoutDisplay(code: string, env: Record<string, string> = {}): Promise<string> {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  delete childEnv.DISPLAY;
  delete childEnv.RNNKIT_GPUJS_ALLOW_FALLBACK;
  Object.assign(childEnv, env);
  const { stdout } = await run(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', code],
    {
      cwd: new URL('..', import.meta.url).pathname,
      env: childEnv as NodeJS.ProcessEnv,
      timeout: 60_000,
    },
  );
  return stdout.trim();
}

describe('without GL (child processes without DISPLAY)', () => {
  const probe = `
    import { setBackend, getBackend } from '@rnnkit/core';
    import { createGpujsBackend } from './src/index.ts';
    try {
      await setBackend('gpujs');
      const b = getBackend();
      console.log(JSON.stringify({ ok: true, mode: b.mode, kernelType: b.kernelType, isFallback: b.isFallback, describe: b.describe() }));
    } catch (e) {
      console.log(JSON.stringify({ ok: false, name: e.name, message: e.message }));
    }
  `;

  it("setBackend('gpujs') fails with a BackendError that says to run under xvfb-run", async () => {
    const result = JSON.parse(await withoutDisplay(probe));
    expect(result.ok).toBe(false);
    expect(result.name).toBe('BackendError');
    expect(result.message).toMatch(/no X display/);
    expect(result.message).toMatch(/xvfb-run -a/);
    expect(result.message).toMatch(/allowFallback/);
  });

  it("names the native 'gl' module and its build dependencies when it cannot load", async () => {
    const out = await withoutDisplay(`
      import Module from 'node:module';
      const load = Module._load;
      Module._load = function (request, ...rest) {
        if (request === 'gl') throw new Error("Cannot find module 'gl' (simulated failed build)");
        return load.call(this, request, ...rest);
      };
      const { createGpujsBackend } = await import('./src/index.ts');
      try { await createGpujsBackend(); console.log('{}'); }
      catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message })); }
    `);
    const result = JSON.parse(out);
    expect(result.name).toBe('BackendError');
    expect(result.message).toMatch(/the native 'gl' module did not build or load/);
    expect(result.message).toMatch(/libxi-dev/);
    expect(result.message).toMatch(/pnpm rebuild gl/);
  });

  it('RNNKIT_GPUJS_ALLOW_FALLBACK=1 accepts gpu.js fallback and reports it honestly', async () => {
    const result = JSON.parse(await withoutDisplay(probe, { RNNKIT_GPUJS_ALLOW_FALLBACK: '1' }));
    expect(result.ok).toBe(true);
    expect(result.isFallback).toBe(true);
    expect(['wasm', 'cpu']).toContain(result.mode);
    expect(result.kernelType).not.toMatch(/GL/);
    expect(result.describe).toMatch(/fallback, NOT a GPU \(GL unavailable: no X display/);
  });

  it("registerGpujsBackend({ allowFallback: true, mode: 'cpu' }) computes correct results on gpu.js's CPU kernels", async () => {
    const out = await withoutDisplay(`
      import { setBackend, getBackend, tensor, matMul, tanh } from '@rnnkit/core';
      import { registerGpujsBackend } from './src/index.ts';
      registerGpujsBackend({ allowFallback: true, mode: 'cpu' });
      await setBackend('gpujs');
      const y = tanh(matMul(tensor([[1, 2], [3, 4]]), tensor([[0.1], [-0.2]])));
      console.log(JSON.stringify({ mode: getBackend().mode, values: Array.from(await y.data()) }));
    `);
    const result = JSON.parse(out);
    expect(result.mode).toBe('cpu');
    expectClose(result.values, [Math.tanh(-0.3), Math.tanh(-0.5)], 1e-6);
  });
});
