/**
 * Tests of cpu's `Transpose` kernel with every permutation.
 */
import { describe, expect, it } from 'vitest';
import { get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { transpose } from './Transpose.js';

describe('Transpose', () => {
  it('transposes a matrix', () => {
    const backend = new CpuBackend();
    const { y } = transpose(
      { x: put(backend, [1, 2, 3, 4, 5, 6], [2, 3]) },
      { perm: [1, 0] },
      backend,
    );
    expect(y.shape).toEqual([3, 2]);
    expect(get(backend, y)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('swaps batch and time axes of a rank-3 tensor', () => {
    const backend = new CpuBackend();
    // [B=2, T=3, F=2] with value 100*b + 10*t + f
    const values = [0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121];
    const { y } = transpose({ x: put(backend, values, [2, 3, 2]) }, { perm: [1, 0, 2] }, backend);
    expect(y.shape).toEqual([3, 2, 2]);
    expect(get(backend, y)).toEqual([0, 1, 100, 101, 10, 11, 110, 111, 20, 21, 120, 121]);
  });
});
