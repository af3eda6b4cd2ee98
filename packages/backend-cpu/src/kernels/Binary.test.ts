/**
 * Tests of cpu's `Binary` kernel: every op, broadcasting and dtypes.
 */
import { BINARY_OPS, type BinaryOp } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { binary } from './Binary.js';

const A = [1, -2, 3, 4];
const B = [1, 2, -3, 0.5];

const EXPECTED: Record<BinaryOp, number[]> = {
  add: [2, 0, 0, 4.5],
  sub: [0, -4, 6, 3.5],
  mul: [1, -4, -9, 2],
  div: [1, -1, -1, 8],
  maximum: [1, 2, 3, 4],
  minimum: [1, -2, -3, 0.5],
  pow: [1, 4, 1 / 27, 2],
  equal: [1, 0, 0, 0],
  greater: [0, 0, 1, 1],
  greaterEqual: [1, 0, 1, 1],
  less: [0, 1, 0, 0],
  lessEqual: [1, 1, 0, 0],
};

describe('Binary', () => {
  it.each(BINARY_OPS.map((op) => [op]))('%s on equal shapes', (op) => {
    const backend = new CpuBackend();
    const { y } = binary(
      { a: put(backend, A, [2, 2]), b: put(backend, B, [2, 2]) },
      { op, shape: [2, 2] },
      backend,
    );
    expect(y.shape).toEqual([2, 2]);
    const got = get(backend, y);
    EXPECTED[op].forEach((expected, i) => expect(got[i]).toBeCloseTo(expected, 15));
  });

  it('broadcasts a row against a column', () => {
    const backend = new CpuBackend();
    const { y } = binary(
      { a: put(backend, [10, 20, 30], [3, 1]), b: put(backend, [1, 2], [2]) },
      { op: 'add', shape: [3, 2] },
      backend,
    );
    expect(get(backend, y)).toEqual([11, 12, 21, 22, 31, 32]);
  });

  it('broadcasts scalars on either side', () => {
    const backend = new CpuBackend();
    const matrix = put(backend, [1, 2, 3, 4], [2, 2]);
    const scalar = put(backend, [10], []);
    expect(
      get(backend, binary({ a: matrix, b: scalar }, { op: 'sub', shape: [2, 2] }, backend).y),
    ).toEqual([-9, -8, -7, -6]);
    expect(
      get(backend, binary({ a: scalar, b: matrix }, { op: 'sub', shape: [2, 2] }, backend).y),
    ).toEqual([9, 8, 7, 6]);
  });

  it('broadcasts middle axes of rank-3 operands', () => {
    const backend = new CpuBackend();
    const a = put(backend, [1, 2, 3, 4], [2, 1, 2]);
    const b = put(backend, [0, 10, 100], [1, 3, 1]);
    const { y } = binary({ a, b }, { op: 'mul', shape: [2, 3, 2] }, backend);
    expect(get(backend, y)).toEqual([0, 0, 10, 20, 100, 200, 0, 0, 30, 40, 300, 400]);
  });

  it('returns comparisons in the input dtype', () => {
    const backend = new CpuBackend();
    const { y } = binary(
      { a: put(backend, [1, 5], [2], 'float32'), b: put(backend, [3], [1], 'float32') },
      { op: 'less', shape: [2] },
      backend,
    );
    expect(y.dtype).toBe('float32');
    expect(get(backend, y)).toEqual([1, 0]);
  });

  it('works on int32', () => {
    const backend = new CpuBackend();
    const { y } = binary(
      { a: put(backend, [7, -7], [2], 'int32'), b: put(backend, [2, 2], [2], 'int32') },
      { op: 'add', shape: [2] },
      backend,
    );
    expect(y.dtype).toBe('int32');
    expect(get(backend, y)).toEqual([9, -5]);
  });
});
