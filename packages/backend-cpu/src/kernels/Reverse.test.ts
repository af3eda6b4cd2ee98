/**
 * Tests of cpu's `Reverse` kernel on axis subsets.
 */
import { describe, expect, it } from 'vitest';
import { get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { reverse } from './Reverse.js';

describe('Reverse', () => {
  const values = [1, 2, 3, 4, 5, 6];

  it('reverses one axis', () => {
    const backend = new CpuBackend();
    const { y } = reverse({ x: put(backend, values, [2, 3]) }, { axes: [1] }, backend);
    expect(y.shape).toEqual([2, 3]);
    expect(get(backend, y)).toEqual([3, 2, 1, 6, 5, 4]);
  });

  it('reverses several axes', () => {
    const backend = new CpuBackend();
    const { y } = reverse({ x: put(backend, values, [2, 3]) }, { axes: [0, 1] }, backend);
    expect(get(backend, y)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('copies when no axis is given', () => {
    const backend = new CpuBackend();
    const { y } = reverse({ x: put(backend, values, [2, 3]) }, { axes: [] }, backend);
    expect(get(backend, y)).toEqual(values);
  });
});
