/**
 * Tests of cpu's `ScatterAdd` kernel, repeated indices included.
 */
import { describe, expect, it } from 'vitest';
import { get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { scatterAdd } from './ScatterAdd.js';

describe('ScatterAdd', () => {
  it('accumulates repeated indices on axis 0', () => {
    const backend = new CpuBackend();
    const updates = put(backend, [1, 2, 3, 4, 5, 6], [3, 2]);
    const indices = put(backend, [2, 0, 2], [3], 'int32');
    const { y } = scatterAdd({ updates, indices }, { axis: 0, shape: [4, 2] }, backend);
    expect(y.shape).toEqual([4, 2]);
    expect(get(backend, y)).toEqual([3, 4, 0, 0, 6, 8, 0, 0]);
  });

  it('is the adjoint of Gather along an inner axis', () => {
    const backend = new CpuBackend();
    const updates = put(backend, [1, 2, 3, 4, 5, 6], [2, 3]);
    const indices = put(backend, [1, 1, 0], [3], 'int32');
    const { y } = scatterAdd({ updates, indices }, { axis: 1, shape: [2, 2] }, backend);
    expect(get(backend, y)).toEqual([3, 3, 6, 9]);
  });
});
