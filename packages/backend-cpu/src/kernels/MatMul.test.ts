/**
 * Tests of cpu's `MatMul` kernel: by hand, batches and broadcasting, empty dimensions, float32,
 * and the tiled product against the naive one.
 */
import type { DType } from '@rnnkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { matMul } from './MatMul.js';

/** Straightforward triple loop over explicit (possibly transposed) indices, as the oracle. */
function naiveMatMul(
  a: readonly number[],
  b: readonly number[],
  m: number,
  n: number,
  k: number,
  transposeA: boolean,
  transposeB: boolean,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        s +=
          (transposeA ? a[p * m + i] : a[i * k + p]) * (transposeB ? b[j * k + p] : b[p * n + j]);
      }
      out.push(s);
    }
  }
  return out;
}

const counting = (count: number, scale = 1) =>
  Array.from({ length: count }, (_, i) => ((i * 7) % 11) * scale - 5 * scale);

describe('MatMul', () => {
  it('multiplies a 2x3 by a 3x2 matrix', () => {
    const backend = new CpuBackend();
    const a = put(backend, [1, 2, 3, 4, 5, 6], [2, 3]);
    const b = put(backend, [7, 8, 9, 10, 11, 12], [3, 2]);
    const { y } = matMul({ a, b }, { transposeA: false, transposeB: false }, backend);
    expect(y.shape).toEqual([2, 2]);
    expect(get(backend, y)).toEqual([58, 64, 139, 154]);
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('handles transposeA=%s transposeB=%s', (transposeA, transposeB) => {
    const backend = new CpuBackend();
    const [m, n, k] = [3, 2, 4];
    const av = counting(m * k);
    const bv = counting(k * n, 0.5);
    const a = put(backend, av, transposeA ? [k, m] : [m, k]);
    const b = put(backend, bv, transposeB ? [n, k] : [k, n]);
    const { y } = matMul({ a, b }, { transposeA, transposeB }, backend);
    expect(y.shape).toEqual([m, n]);
    expect(get(backend, y)).toEqual(naiveMatMul(av, bv, m, n, k, transposeA, transposeB));
  });

  it('broadcasts a batch of 1 on either side', () => {
    const backend = new CpuBackend();
    const batched = counting(3 * 2 * 2);
    const single = [1, 2, 3, 4];
    const a = put(backend, batched, [3, 2, 2]);
    const b = put(backend, single, [1, 2, 2]);
    const right = matMul({ a, b }, { transposeA: false, transposeB: false }, backend).y;
    const left = matMul({ a: b, b: a }, { transposeA: false, transposeB: true }, backend).y;
    expect(right.shape).toEqual([3, 2, 2]);
    expect(left.shape).toEqual([3, 2, 2]);
    for (let s = 0; s < 3; s++) {
      const slice = batched.slice(s * 4, (s + 1) * 4);
      expect(get(backend, right).slice(s * 4, (s + 1) * 4)).toEqual(
        naiveMatMul(slice, single, 2, 2, 2, false, false),
      );
      expect(get(backend, left).slice(s * 4, (s + 1) * 4)).toEqual(
        naiveMatMul(single, slice, 2, 2, 2, false, true),
      );
    }
  });

  it('multiplies equal batches independently', () => {
    const backend = new CpuBackend();
    const av = counting(2 * 3 * 5);
    const bv = counting(2 * 5 * 4, 0.25);
    const { y } = matMul(
      { a: put(backend, av, [2, 3, 5]), b: put(backend, bv, [2, 5, 4]) },
      { transposeA: false, transposeB: false },
      backend,
    );
    const expected = [0, 1].flatMap((s) =>
      naiveMatMul(
        av.slice(s * 15, (s + 1) * 15),
        bv.slice(s * 20, (s + 1) * 20),
        3,
        4,
        5,
        false,
        false,
      ),
    );
    expect(get(backend, y)).toEqual(expected);
  });

  it('gives zeros for an empty inner dimension and empty outputs for empty outer ones', () => {
    const backend = new CpuBackend();
    const zeroK = matMul(
      { a: put(backend, [], [2, 0]), b: put(backend, [], [0, 3]) },
      { transposeA: false, transposeB: false },
      backend,
    ).y;
    expect(get(backend, zeroK)).toEqual([0, 0, 0, 0, 0, 0]);
    const zeroM = matMul(
      { a: put(backend, [], [0, 2]), b: put(backend, [1, 2], [2, 1]) },
      { transposeA: false, transposeB: false },
      backend,
    ).y;
    expect(zeroM.shape).toEqual([0, 1]);
  });

  it('keeps float32 results in float32', () => {
    const backend = new CpuBackend();
    const a = put(backend, [0.1, 0.2], [1, 2], 'float32');
    const b = put(backend, [0.3, 0.4], [2, 1], 'float32');
    const { y } = matMul({ a, b }, { transposeA: false, transposeB: false }, backend);
    expect(y.dtype).toBe('float32');
    expect(backend.readSync(y.dataId)).toBeInstanceOf(Float32Array);
    expect(get(backend, y)[0]).toBeCloseTo(0.11, 6);
  });

  it('matches the naive product on odd sizes that cross every tile boundary', () => {
    const backend = new CpuBackend();
    const [m, n, k] = [67, 259, 131];
    const av = counting(m * k, 0.1);
    const bv = counting(k * n, 0.01);
    for (const [transposeA, transposeB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const { y } = matMul(
        {
          a: put(backend, av, transposeA ? [k, m] : [m, k]),
          b: put(backend, bv, transposeB ? [n, k] : [k, n]),
        },
        { transposeA, transposeB },
        backend,
      );
      expectClose(get(backend, y), naiveMatMul(av, bv, m, n, k, transposeA, transposeB), 1e-13);
    }
  });

  it('agrees with the naive product on random shapes, transposes and dtypes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom<DType>('float32', 'float64'),
        (m, n, k, transposeA, transposeB, dtype) => {
          const backend = new CpuBackend();
          const av = counting(m * k, 0.5);
          const bv = counting(k * n, 0.25).reverse();
          const { y } = matMul(
            {
              a: put(backend, av, transposeA ? [k, m] : [m, k], dtype),
              b: put(backend, bv, transposeB ? [n, k] : [k, n], dtype),
            },
            { transposeA, transposeB },
            backend,
          );
          expect(y.dtype).toBe(dtype);
          expectClose(get(backend, y), naiveMatMul(av, bv, m, n, k, transposeA, transposeB), 1e-6);
        },
      ),
    );
  });
});
