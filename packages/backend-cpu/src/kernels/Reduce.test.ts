/**
 * cpu's `Reduce` kernel accumulates float32 sums in float64 (no intermediate rounding): its own
 * choice, stricter than the catalogue. Every backend-agnostic `Reduce` case is in
 * @rnnkit/conformance.
 */
import { describe, expect, it } from 'vitest';
import { get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { reduce } from './Reduce.js';

describe('Reduce', () => {
  it('accumulates float32 sums without intermediate rounding', () => {
    const backend = new CpuBackend();
    const values = [1, ...new Array<number>(1000).fill(1e-8)];
    const { y } = reduce(
      { x: put(backend, values, [1001], 'float32') },
      { op: 'sum', axes: [0], keepDims: false },
      backend,
    );
    expect(y.dtype).toBe('float32');
    let exact = 0;
    for (const v of new Float32Array(values)) exact += v;
    expect(get(backend, y)).toEqual([Math.fround(exact)]);
  });
});
