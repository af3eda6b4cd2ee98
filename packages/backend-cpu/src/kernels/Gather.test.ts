/**
 * Tests of cpu's `Gather` kernel: every axis, repeated indices.
 */
import { describe, expect, it } from 'vitest';
import { get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { gather } from './Gather.js';

describe('Gather', () => {
  it('looks up embedding rows on axis 0 with a 2-D index tensor', () => {
    const backend = new CpuBackend();
    const table = put(backend, [0, 1, 10, 11, 20, 21], [3, 2]);
    const indices = put(backend, [2, 0, 2, 1], [2, 2], 'int32');
    const { y } = gather({ x: table, indices }, { axis: 0 }, backend);
    expect(y.shape).toEqual([2, 2, 2]);
    expect(get(backend, y)).toEqual([20, 21, 0, 1, 20, 21, 10, 11]);
  });

  it('gathers along an inner axis', () => {
    const backend = new CpuBackend();
    const x = put(backend, [1, 2, 3, 4, 5, 6], [2, 3]);
    const indices = put(backend, [2, 2, 0], [3], 'int32');
    const { y } = gather({ x, indices }, { axis: 1 }, backend);
    expect(y.shape).toEqual([2, 3]);
    expect(get(backend, y)).toEqual([3, 3, 1, 6, 6, 4]);
  });

  it('accepts scalar indices, removing the axis', () => {
    const backend = new CpuBackend();
    const x = put(backend, [1, 2, 3, 4], [2, 2], 'int32');
    const { y } = gather({ x, indices: put(backend, [1], [], 'int32') }, { axis: 0 }, backend);
    expect(y.shape).toEqual([2]);
    expect(y.dtype).toBe('int32');
    expect(get(backend, y)).toEqual([3, 4]);
  });
});
