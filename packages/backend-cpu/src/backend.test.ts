/**
 * Tests of `CpuBackend` itself: description, kernel table, copies, dtypes, async reads, memory
 * counts, and rejected handles and values.
 */
import { BackendError, DTypeError, KERNEL_NAMES } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from './backend.js';

describe('CpuBackend storage', () => {
  it('describes itself', () => {
    const backend = new CpuBackend();
    expect(backend.name).toBe('cpu');
    expect(backend.dtypes).toEqual(['float32', 'float64', 'int32']);
    expect(backend.describe()).toMatch(/cpu/);
  });

  it('has a kernel for every catalogue entry', () => {
    const backend = new CpuBackend();
    for (const name of KERNEL_NAMES) expect(typeof backend.kernels[name], name).toBe('function');
  });

  it('copies on write and on read', () => {
    const backend = new CpuBackend();
    const source = new Float64Array([1, 2, 3]);
    const id = backend.write(source, [3], 'float64');
    source[0] = 99;
    const read = backend.readSync(id);
    expect(Array.from(read)).toEqual([1, 2, 3]);
    read[1] = 99;
    expect(Array.from(backend.readSync(id))).toEqual([1, 2, 3]);
  });

  it('stores each dtype in its typed array, converting foreign arrays', () => {
    const backend = new CpuBackend();
    expect(backend.readSync(backend.write(new Float64Array([0.1]), [1], 'float32'))).toEqual(
      new Float32Array([0.1]),
    );
    expect(backend.readSync(backend.write(new Float32Array([1.5]), [1], 'float64'))).toBeInstanceOf(
      Float64Array,
    );
    expect(backend.readSync(backend.write(new Float64Array([2.7]), [], 'int32'))).toEqual(
      new Int32Array([2]),
    );
  });

  it('reads asynchronously', async () => {
    const backend = new CpuBackend();
    const id = backend.write(new Int32Array([4, 5]), [2], 'int32');
    await expect(backend.read(id)).resolves.toEqual(new Int32Array([4, 5]));
  });

  it('counts live blocks and bytes, and frees them on dispose', () => {
    const backend = new CpuBackend();
    const a = backend.write(new Float64Array(4), [2, 2], 'float64');
    const b = backend.write(new Float32Array(3), [3], 'float32');
    const made = backend.make(new Int32Array(2), [2], 'int32');
    expect(backend.memory()).toEqual({ numDataIds: 3, numBytes: 32 + 12 + 8 });
    backend.disposeData(a);
    backend.disposeData(made.dataId);
    expect(backend.memory()).toEqual({ numDataIds: 1, numBytes: 12 });
    backend.disposeData(b);
    expect(backend.memory()).toEqual({ numDataIds: 0, numBytes: 0 });
  });

  it('rejects disposed and foreign handles', () => {
    const backend = new CpuBackend();
    const id = backend.write(new Float32Array(1), [1], 'float32');
    backend.disposeData(id);
    expect(() => backend.readSync(id)).toThrow(BackendError);
    expect(() => backend.disposeData(id)).toThrow(BackendError);
    expect(() => backend.readSync({})).toThrow(BackendError);
  });

  it('rejects values that do not fill the shape', () => {
    const backend = new CpuBackend();
    expect(() => backend.write(new Float32Array(3), [2, 2], 'float32')).toThrow(/shape \[2, 2\]/);
  });

  it('hands kernels the stored array without copying, checking its kind', () => {
    const backend = new CpuBackend();
    const info = backend.make(new Float64Array([1, 2]), [2], 'float64');
    expect(backend.values(info)).toBe(backend.floatValues(info));
    expect(() => backend.intValues(info)).toThrow(DTypeError);
    const ints = backend.make(new Int32Array([1]), [1], 'int32');
    expect(() => backend.floatValues(ints)).toThrow(DTypeError);
  });
});
