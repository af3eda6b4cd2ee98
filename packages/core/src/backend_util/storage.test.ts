// The storage guard of backend_util: the counts, dtypes, handles and reserve sizes it accepts, and the error class and message of each fault.
import { describe, expect, it } from 'vitest';
import { BackendError, DTypeError, ShapeError, ValueError } from '../errors.js';
import { checkReserve, checkWrite, liveStorage } from './storage.js';

class Storage {
  live = true;
}

const backend = { name: 'test', dtypes: ['float32', 'int32'] as const };

describe('the storage guard', () => {
  it('returns the element count of a write whose values fill the shape', () => {
    expect(checkWrite(backend, new Float32Array(6), [2, 3], 'float32')).toBe(6);
    expect(checkWrite(backend, new Int32Array(0), [0, 4], 'int32')).toBe(0);
  });

  it('names the counts when values do not fill the shape', () => {
    expect(() => checkWrite(backend, new Float32Array(5), [2, 3], 'float32')).toThrow(
      new ShapeError('test backend: write(): 5 values do not fill shape [2, 3], which needs 6'),
    );
  });

  it('names the supported dtypes when a dtype is not', () => {
    expect(() => checkWrite(backend, new Float64Array(1), [1], 'float64')).toThrow(DTypeError);
    expect(() => checkWrite(backend, new Float64Array(1), [1], 'float64')).toThrow(
      /'float64' is not supported \(it supports float32, int32\)/,
    );
  });

  it('passes live storage of its class and rejects foreign or freed handles', () => {
    const storage = new Storage();
    expect(liveStorage(backend, storage, Storage)).toBe(storage);
    expect(() => liveStorage(backend, {}, Storage)).toThrow(BackendError);
    expect(() => liveStorage(backend, {}, Storage)).toThrow(/not created by a test backend/);
    storage.live = false;
    expect(() => liveStorage(backend, storage, Storage)).toThrow(/used after disposeData/);
  });

  it('names both sizes of a wrong reserve', () => {
    expect(() => checkReserve(backend, 12, 12)).not.toThrow();
    expect(() => checkReserve(backend, 7, 0, 'textures')).toThrow(ValueError);
    expect(() => checkReserve(backend, 7, 0, 'textures')).toThrow(/\(7 textures\), got 0 textures/);
  });
});
