/**
 * Tests of cpu's `OneHot` kernel, out-of-range indices included.
 */
import { describe, expect, it } from 'vitest';
import { get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { oneHot } from './OneHot.js';

describe('OneHot', () => {
  it('encodes indices, with zero rows for out-of-range ones', () => {
    const backend = new CpuBackend();
    const indices = put(backend, [0, 2, -1, 3], [2, 2], 'int32');
    const { y } = oneHot({ indices }, { depth: 3, dtype: 'float32' }, backend);
    expect(y.shape).toEqual([2, 2, 3]);
    expect(y.dtype).toBe('float32');
    expect(get(backend, y)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });
});
