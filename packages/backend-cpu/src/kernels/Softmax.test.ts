/**
 * Tests of cpu's `Softmax` kernel along the last axis.
 */
import { describe, expect, it } from 'vitest';
import { expectClose, get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { softmax } from './Softmax.js';

describe('Softmax', () => {
  it('normalises each row of the last axis', () => {
    const backend = new CpuBackend();
    const { y } = softmax({ x: put(backend, [0, Math.log(3), 1, 1], [2, 2]) }, {}, backend);
    expect(y.shape).toEqual([2, 2]);
    expectClose(get(backend, y), [0.25, 0.75, 0.5, 0.5], 1e-15);
  });

  it('does not overflow on large inputs', () => {
    const backend = new CpuBackend();
    const { y } = softmax({ x: put(backend, [1000, 1000, 999], [3]) }, {}, backend);
    const e = Math.exp(-1);
    expectClose(get(backend, y), [1 / (2 + e), 1 / (2 + e), e / (2 + e)], 1e-15);
  });

  it('computes in float32 for float32 inputs', () => {
    const backend = new CpuBackend();
    const { y } = softmax({ x: put(backend, [1, 2, 3], [1, 3], 'float32') }, {}, backend);
    expect(y.dtype).toBe('float32');
    expectClose(get(backend, y), [0.09003057, 0.24472847, 0.66524096], 1e-7);
  });
});
