/**
 * Tests of cpu's `Reduce` kernel: every op, axis subsets, keepDims.
 */
import { describe, expect, it } from 'vitest';
import { get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { reduce } from './Reduce.js';

// [2, 3, 2]: value = 100*i + 10*j + k
const VALUES = [0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121];
const SHAPE = [2, 3, 2];

describe('Reduce', () => {
  it('sums over one middle axis', () => {
    const backend = new CpuBackend();
    const { y } = reduce(
      { x: put(backend, VALUES, SHAPE) },
      { op: 'sum', axes: [1], keepDims: false },
      backend,
    );
    expect(y.shape).toEqual([2, 2]);
    expect(get(backend, y)).toEqual([30, 33, 330, 333]);
  });

  it('keeps reduced axes as size 1 when asked', () => {
    const backend = new CpuBackend();
    const { y } = reduce(
      { x: put(backend, VALUES, SHAPE) },
      { op: 'max', axes: [0, 2], keepDims: true },
      backend,
    );
    expect(y.shape).toEqual([1, 3, 1]);
    expect(get(backend, y)).toEqual([101, 111, 121]);
  });

  it('reduces every axis to a scalar', () => {
    const backend = new CpuBackend();
    const { y } = reduce(
      { x: put(backend, VALUES, SHAPE) },
      { op: 'min', axes: [0, 1, 2], keepDims: false },
      backend,
    );
    expect(y.shape).toEqual([]);
    expect(get(backend, y)).toEqual([0]);
  });

  it('copies when reducing over no axes', () => {
    const backend = new CpuBackend();
    const x = put(backend, VALUES, SHAPE);
    const { y } = reduce({ x }, { op: 'sum', axes: [], keepDims: false }, backend);
    expect(y.shape).toEqual(SHAPE);
    expect(y.dataId).not.toBe(x.dataId);
    expect(get(backend, y)).toEqual(VALUES);
  });

  it('gives the identity of each op over an empty axis', () => {
    const backend = new CpuBackend();
    const x = put(backend, [], [2, 0]);
    const result = (op: 'sum' | 'max' | 'min') =>
      get(backend, reduce({ x }, { op, axes: [1], keepDims: false }, backend).y);
    expect(result('sum')).toEqual([0, 0]);
    expect(result('max')).toEqual([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(result('min')).toEqual([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
  });

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

  it('propagates NaN through max', () => {
    const backend = new CpuBackend();
    const { y } = reduce(
      { x: put(backend, [1, Number.NaN, 3], [3]) },
      { op: 'max', axes: [0], keepDims: false },
      backend,
    );
    expect(get(backend, y)).toEqual([Number.NaN]);
  });
});
