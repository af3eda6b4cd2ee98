/**
 * Value domains and helpers shared by the kernel case generators.
 */
import type { DType, Random, Shape } from '@rnnkit/core';
import { sizeOf } from '@rnnkit/core';
import { type HostTensor, hostTensor, uniformTensor } from '@rnnkit/testing';
import type { KernelCase } from './types.js';

/** The float dtypes every float kernel case runs in. */
export const FLOATS = ['float32', 'float64'] as const;

/** A float dtype of {@link FLOATS}. */
export type FloatDType = (typeof FLOATS)[number];

/** Adds a case to the list being generated. */
export type CasePush = (c: KernelCase) => void;

/** Draws a host tensor of a shape and dtype. */

export type Domain = (rng: Random, shape: Shape, dtype: DType) => HostTensor;
export const uniform =
  (low: number, high: number): Domain =>
  (rng, shape, dtype) =>
    uniformTensor(rng, shape, dtype, low, high);
export const withZeros =
  (low: number, high: number): Domain =>
  (rng, shape, dtype) => {
    const t = uniformTensor(rng, shape, dtype, low, high);
    for (let i = 0; i < t.values.length; i += 5) t.values[i] = 0;
    return t;
  };
export const withExtremes =
  (low: number, high: number, extreme: number): Domain =>
  (rng, shape, dtype) => {
    const t = uniformTensor(rng, shape, dtype, low, high);
    if (t.values.length >= 3) {
      t.values[1] = extreme;
      t.values[2] = -extreme;
    }
    return t;
  };
/** Values on a coarse grid (multiples of 1/4 in [-2, 2]) so that equal values and ties occur. */
export const grid: Domain = (rng, shape, dtype) => {
  const n = sizeOf(shape);
  return hostTensor(
    shape,
    dtype,
    Array.from({ length: n }, () => (rng.int(17) - 8) / 4),
  );
};

export const exact =
  (outputs: string[] = ['y']) =>
  () =>
    Object.fromEntries(outputs.map((o) => [o, { tolerance: 0 }]));

/** The broadcast shape of two shapes (NumPy rules; the shapes are known to be compatible). */
export function broadcast(a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    return da === 1 ? db : da;
  });
}

/**
 * Adds a case whose output `y` must match the oracle bit for bit: data movement, comparisons,
 * casts and integer arithmetic round nothing.
 */
export function pushExact(
  push: CasePush,
  c: Omit<KernelCase, 'oracle' | 'tolerance'>,
  oracle: () => HostTensor,
): void {
  push({ ...c, oracle: () => ({ y: { tensor: oracle(), tolerance: 0 } }), tolerance: exact() });
}
