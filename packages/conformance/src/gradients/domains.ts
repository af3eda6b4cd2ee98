/**
 * What the per-kernel gradient check generators share: the arbitraries of seeds and shapes,
 * the value domains (uniform, away from zero, distinct), broadcast partners, and the
 * registration callback. Its own file so that each kernel's generator stays one short file.
 */
import { sizeOf } from '@rnnkit/core';
import {
  awayFromZeroTensor,
  type HostTensor,
  hostTensor,
  rngFor,
  uniformTensor,
} from '@rnnkit/testing';
import * as fc from 'fast-check';
import type { GradientProblem } from '../gradient_checks.js';

/** A fast-check seed for the values of a problem. */
export const seedArb = fc.integer({ min: 1, max: 2 ** 30 });
/** One dimension of a drawn shape. */
export const dimArb = fc.constantFrom(1, 2, 3, 5);
/** A shape of rank `minRank` to `maxRank`. */
export const shapeArb = (minRank = 1, maxRank = 3) =>
  fc.array(dimArb, { minLength: minRank, maxLength: maxRank });

/** A subset of the axes of `shape`, in order. */
export const axesArb = (shape: number[]) => fc.subarray(shape.map((_, i) => i));

/** Values of a given shape drawn from a seed. */
export type Domain = (seed: number, shape: number[]) => HostTensor;
/** Uniform float64 values in `[low, high)`. */
export const U =
  (low: number, high: number): Domain =>
  (seed, shape) =>
    uniformTensor(rngFor(seed), shape, 'float64', low, high);
/** Float64 values with magnitude in `[low, high)` and a random sign. */
export const AWAY =
  (low: number, high: number): Domain =>
  (seed, shape) =>
    awayFromZeroTensor(rngFor(seed), shape, 'float64', low, high);
/** Distinct values (spaced by at least 0.08) so that max/min have a unique, stable winner. */
export function distinct(seed: number, shape: number[]): HostTensor {
  const rng = rngFor(seed);
  const n = sizeOf(shape);
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  return hostTensor(
    shape,
    'float64',
    order.map((k) => (k - n / 2) * 0.1 + rng.uniform(-0.01, 0.01)),
  );
}

/** A shape `b` broadcastable against `a`: some axes set to 1, some leading axes dropped. */
export function broadcastPartner(a: number[], mask: boolean[], drop: number): number[] {
  return a.map((d, i) => (mask[i % mask.length] ? 1 : d)).slice(Math.min(drop, a.length));
}

/** Registers one gradient check under `gradient/<id>`. */
export type AddCheck = (id: string, arbitrary: fc.Arbitrary<GradientProblem>) => void;
