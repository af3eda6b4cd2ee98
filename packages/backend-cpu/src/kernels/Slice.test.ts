/**
 * Tests of cpu's `Slice` kernel on blocks of any rank.
 */
import { describe, expect, it } from 'vitest';
import { get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { slice } from './Slice.js';

describe('Slice', () => {
  it('copies an inner block of a rank-3 tensor', () => {
    const backend = new CpuBackend();
    const values = Array.from({ length: 24 }, (_, i) => i);
    const { y } = slice(
      { x: put(backend, values, [2, 3, 4]) },
      { begin: [1, 1, 1], size: [1, 2, 2] },
      backend,
    );
    expect(y.shape).toEqual([1, 2, 2]);
    expect(get(backend, y)).toEqual([17, 18, 21, 22]);
  });

  it('returns an empty tensor for a zero size', () => {
    const backend = new CpuBackend();
    const { y } = slice({ x: put(backend, [1, 2, 3], [3]) }, { begin: [3], size: [0] }, backend);
    expect(y.shape).toEqual([0]);
    expect(get(backend, y)).toEqual([]);
  });
});
