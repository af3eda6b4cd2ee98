/**
 * Tests of cpu's `Concat` kernel: every axis, several and empty inputs.
 */
import { describe, expect, it } from 'vitest';
import { get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { concat } from './Concat.js';

describe('Concat', () => {
  it('joins along the last axis', () => {
    const backend = new CpuBackend();
    const a = put(backend, [1, 2, 3, 4], [2, 2]);
    const b = put(backend, [5, 6], [2, 1]);
    const { y } = concat({ xs: [a, b] }, { axis: 1 }, backend);
    expect(y.shape).toEqual([2, 3]);
    expect(get(backend, y)).toEqual([1, 2, 5, 3, 4, 6]);
  });

  it('joins along the first axis, including empty inputs', () => {
    const backend = new CpuBackend();
    const a = put(backend, [1, 2], [1, 2]);
    const empty = put(backend, [], [0, 2]);
    const b = put(backend, [3, 4, 5, 6], [2, 2]);
    const { y } = concat({ xs: [a, empty, b] }, { axis: 0 }, backend);
    expect(y.shape).toEqual([3, 2]);
    expect(get(backend, y)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('copies a single input', () => {
    const backend = new CpuBackend();
    const a = put(backend, [1, 2], [2]);
    const { y } = concat({ xs: [a] }, { axis: 0 }, backend);
    expect(y.dataId).not.toBe(a.dataId);
    expect(get(backend, y)).toEqual([1, 2]);
  });
});
