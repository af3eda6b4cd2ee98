/**
 * Tests of cpu's `ArgMax` kernel: every axis, ties and NaN.
 */
import { describe, expect, it } from 'vitest';
import { get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { argMax } from './ArgMax.js';

describe('ArgMax', () => {
  it('finds the largest value along the last axis, first on ties', () => {
    const backend = new CpuBackend();
    const { y } = argMax({ x: put(backend, [1, 5, 5, 9, 2, 9], [2, 3]) }, { axis: 1 }, backend);
    expect(y.dtype).toBe('int32');
    expect(y.shape).toEqual([2]);
    expect(get(backend, y)).toEqual([1, 0]);
  });

  it('works along the first axis of a rank-3 tensor', () => {
    const backend = new CpuBackend();
    const x = put(backend, [0, 9, 2, 3, 5, 1, 7, 3], [2, 2, 2]);
    const { y } = argMax({ x }, { axis: 0 }, backend);
    expect(y.shape).toEqual([2, 2]);
    expect(get(backend, y)).toEqual([1, 0, 1, 0]);
  });

  it('treats NaN as the maximum', () => {
    const backend = new CpuBackend();
    const { y } = argMax(
      { x: put(backend, [1, Number.NaN, 3, Number.NaN], [4]) },
      { axis: 0 },
      backend,
    );
    expect(get(backend, y)).toEqual([1]);
  });
});
