/**
 * Tests of cpu's `Cast` kernel: truncation to int32, rounding to float32, exact int32 to float64.
 */
import { describe, expect, it } from 'vitest';
import { get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { cast } from './Cast.js';

describe('Cast', () => {
  it('truncates floats toward zero when casting to int32', () => {
    const backend = new CpuBackend();
    const { y } = cast(
      { x: put(backend, [1.9, -1.9, 0.5, -0.5], [2, 2]) },
      { dtype: 'int32' },
      backend,
    );
    expect(y.dtype).toBe('int32');
    expect(y.shape).toEqual([2, 2]);
    expect(backend.readSync(y.dataId)).toBeInstanceOf(Int32Array);
    expect(get(backend, y)).toEqual([1, -1, 0, 0]);
  });

  it('rounds float64 to the nearest float32', () => {
    const backend = new CpuBackend();
    const { y } = cast({ x: put(backend, [0.1], [1]) }, { dtype: 'float32' }, backend);
    expect(get(backend, y)).toEqual([Math.fround(0.1)]);
  });

  it('converts int32 to float64 exactly', () => {
    const backend = new CpuBackend();
    const { y } = cast(
      { x: put(backend, [-3, 2147483647], [2], 'int32') },
      { dtype: 'float64' },
      backend,
    );
    expect(y.dtype).toBe('float64');
    expect(get(backend, y)).toEqual([-3, 2147483647]);
  });
});
