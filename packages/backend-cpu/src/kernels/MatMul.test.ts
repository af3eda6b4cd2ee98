/**
 * cpu's tiled `MatMul` against the naive triple loop, on sizes that cross every tile boundary and
 * on random shapes, transposes and dtypes (its tiling is its own). Every backend-agnostic
 * `MatMul` case (by hand, batches, broadcasting, empty dimensions) is in @rnnkit/conformance.
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
