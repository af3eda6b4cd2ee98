/**
 * Tests of cpu's `Unary` kernel: extreme arguments, NaN, dtypes and shapes.
 */
import { UNARY_OPS, type UnaryOp } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { expectClose, get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { unary } from './Unary.js';

const INPUT = [-2, -0.5, 0, 0.5, 3];

const EXPECTED: Record<UnaryOp, number[]> = {
  neg: [2, 0.5, -0, -0.5, -3],
  abs: [2, 0.5, 0, 0.5, 3],
  sign: [-1, -1, 0, 1, 1],
  exp: INPUT.map(Math.exp),
  log: [Number.NaN, Number.NaN, Number.NEGATIVE_INFINITY, Math.log(0.5), Math.log(3)],
  log1p: [Number.NaN, Math.log(0.5), 0, Math.log(1.5), Math.log(4)],
  sqrt: [Number.NaN, Number.NaN, 0, Math.SQRT1_2, Math.sqrt(3)],
  rsqrt: [Number.NaN, Number.NaN, Number.POSITIVE_INFINITY, Math.SQRT2, 1 / Math.sqrt(3)],
  square: [4, 0.25, 0, 0.25, 9],
  reciprocal: [-0.5, -2, Number.POSITIVE_INFINITY, 2, 1 / 3],
  tanh: INPUT.map(Math.tanh),
  sigmoid: INPUT.map((x) => 1 / (1 + Math.exp(-x))),
  relu: [0, 0, 0, 0.5, 3],
  step: [0, 0, 0, 1, 1],
  softplus: INPUT.map((x) => Math.log(1 + Math.exp(x))),
};

describe('Unary', () => {
  it.each(UNARY_OPS.map((op) => [op]))('%s', (op) => {
    const backend = new CpuBackend();
    const { y } = unary({ x: put(backend, INPUT, [5]) }, { op }, backend);
    expect(y.shape).toEqual([5]);
    const got = get(backend, y);
    EXPECTED[op].forEach((expected, i) => {
      if (Number.isNaN(expected) || !Number.isFinite(expected)) expect(got[i]).toBe(expected);
      else
        expect(Math.abs(got[i] - expected)).toBeLessThanOrEqual(
          1e-15 * Math.max(1, Math.abs(expected)),
        );
    });
  });

  it('keeps extreme sigmoid and softplus arguments finite and accurate', () => {
    const backend = new CpuBackend();
    const x = put(backend, [-800, 800, -40], [3]);
    const [low, high, small] = get(backend, unary({ x }, { op: 'sigmoid' }, backend).y);
    expect([low, high]).toEqual([0, 1]);
    // Relative accuracy in the far tail, where 1 - sigmoid(40) would have cancelled to 0.
    expect(Math.abs(small / (1 / (1 + Math.exp(40))) - 1)).toBeLessThan(1e-15);
    expectClose(
      get(backend, unary({ x }, { op: 'softplus' }, backend).y),
      [0, 800, Math.exp(-40)],
      1e-15,
    );
  });

  it('propagates NaN through relu', () => {
    const backend = new CpuBackend();
    const { y } = unary({ x: put(backend, [Number.NaN], [1]) }, { op: 'relu' }, backend);
    expect(get(backend, y)).toEqual([Number.NaN]);
  });

  it('computes in the input dtype and keeps the shape', () => {
    const backend = new CpuBackend();
    const { y } = unary(
      { x: put(backend, [0.1, 0.2, 0.3, 0.4], [2, 2], 'float32') },
      { op: 'square' },
      backend,
    );
    expect(y.dtype).toBe('float32');
    expect(y.shape).toEqual([2, 2]);
    expect(get(backend, y)).toEqual(
      Array.from(new Float32Array([0.1, 0.2, 0.3, 0.4]), (v) => Math.fround(v * v)),
    );
  });

  it('handles empty tensors', () => {
    const backend = new CpuBackend();
    const { y } = unary({ x: put(backend, [], [0, 3]) }, { op: 'exp' }, backend);
    expect(y.shape).toEqual([0, 3]);
    expect(get(backend, y)).toEqual([]);
  });
});
