/**
 * Tests of the package entry point: importing `@rnnkit/backend-wasm` registers the `wasm` backend
 * with core.
 */
import { readFileSync } from 'node:fs';
import {
  DTypeError,
  getBackend,
  KERNEL_NAMES,
  listBackends,
  registerBackend,
  removeBackend,
  ShapeError,
  setBackend,
  tensor,
} from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import {
  createWasmBackend,
  defaultWasmUrl,
  WASM_BACKEND_NAME,
  WasmBackend,
  wasmKernels,
} from './index.js';

describe('@rnnkit/backend-wasm entry point', () => {
  it('has the face of every backend package: name constant, factory with options, kernel table, describe()', async () => {
    const backend = await createWasmBackend();
    expect(backend).toBeInstanceOf(WasmBackend);
    expect(backend.name).toBe(WASM_BACKEND_NAME);
    expect(backend.kernels).toBe(wasmKernels);
    expect(backend.describe()).toMatch(/^wasm: /);
    expect((await createWasmBackend({ name: 'wasm-2' })).name).toBe('wasm-2');
  });

  it('registers wasm on import, ahead of a backend of the default priority such as cpu', async () => {
    registerBackend('priority-probe', () => {
      throw new Error('never created');
    });
    const names = listBackends();
    removeBackend('priority-probe');
    expect(names).toContain('wasm');
    expect(names.indexOf('wasm')).toBeLessThan(names.indexOf('priority-probe'));
    await setBackend('wasm');
    const backend = getBackend();
    expect(backend).toBeInstanceOf(WasmBackend);
    expect(backend.describe?.()).toMatch(/^wasm:/);
    expect(Array.from(tensor([1, 2, 3]).dataSync())).toEqual([1, 2, 3]);
  });

  it('implements every kernel of the catalogue, float32 and int32 only', async () => {
    const backend = await createWasmBackend();
    for (const name of KERNEL_NAMES) expect(typeof backend.kernels[name], name).toBe('function');
    expect(backend.dtypes).toEqual(['float32', 'int32']);
    expect(() => backend.write(new Float64Array(2), [2], 'float64')).toThrow(/float64/);
  });

  it('loads the module from bytes, a URL or a compiled module', async () => {
    const bytes = readFileSync(defaultWasmUrl());
    const module = await WebAssembly.compile(bytes);
    for (const wasm of [bytes, defaultWasmUrl(), module]) {
      const backend = await createWasmBackend({ wasm });
      const id = backend.write(Int32Array.from([7, -8]), [2], 'int32');
      expect(Array.from(backend.readSync(id))).toEqual([7, -8]);
      expect(Array.from(await backend.read(id))).toEqual([7, -8]);
    }
  });

  it('rejects foreign and disposed storage handles', async () => {
    const backend = await createWasmBackend();
    expect(() => backend.readSync({})).toThrow(/not created by a wasm backend/);
    const id = backend.write(Float32Array.from([1]), [1], 'float32');
    backend.disposeData(id);
    expect(() => backend.readSync(id)).toThrow(/after disposeData/);
    expect(() => backend.write(Float32Array.from([1, 2]), [3], 'float32')).toThrow(ShapeError);
  });

  it('stores empty tensors without a block', async () => {
    const backend = await createWasmBackend();
    const id = backend.write(new Float32Array(0), [0, 3], 'float32');
    expect(backend.readSync(id).length).toBe(0);
    backend.disposeData(id);
    expect(backend.memory().numDataIds).toBe(0);
  });

  it('fills storage in linear memory as typed-array fill converts the value', async () => {
    const backend = await createWasmBackend();
    expect(Array.from(backend.readSync(backend.fill([2, 3], 'float32', -0.1)))).toEqual(
      Array.from(new Float32Array(6).fill(-0.1)),
    );
    expect(Array.from(backend.readSync(backend.fill([5], 'int32', 7.9)))).toEqual([7, 7, 7, 7, 7]);
    expect(backend.readSync(backend.fill([0, 4], 'float32', 1)).length).toBe(0);
    expect(() => backend.fill([1], 'float64', 0)).toThrow(DTypeError);
  });
});
