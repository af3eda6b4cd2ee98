/**
 * Kernel cases of `Gather` and its adjoint `ScatterAdd` (repeated indices accumulate).
 */
import type { Random, Shape } from '@rnnkit/core';
import { type HostTensor, hostTensor, intTensor, shapeText, uniformTensor } from '@rnnkit/testing';
import { oracleGather, oracleScatterAdd } from '../oracle.js';
import { kernelTolerance } from '../tolerances.js';
import { type CasePush, exact, type FloatDType } from './domains.js';

const indexText = (shape: Shape, axis: number, indices: HostTensor) =>
  `${shapeText(shape)}/axis=${axis}/indices=${shapeText(indices.shape)}`;

/** Adds the `Gather` case of `x` at `indices` along `axis` (exact: a copy). */
export function pushGatherCase(
  push: CasePush,
  x: HostTensor,
  indices: HostTensor,
  axis: number,
): void {
  push({
    id: `kernel/Gather/${x.dtype}/${indexText(x.shape, axis, indices)}`,
    kernel: 'Gather',
    dtypes: [...new Set([x.dtype, 'int32' as const])],
    inputs: { x, indices },
    attrs: { axis },
    oracle: () => ({ y: { tensor: oracleGather(x, indices, axis), tolerance: 0 } }),
    tolerance: exact(),
  });
}

/**
 * Adds the `ScatterAdd` case of `updates` at `indices` along `axis` into `shape`: held to the
 * bound of a sum of as many terms as an index repeats, scaled by their magnitudes.
 */
export function pushScatterAddCase(
  push: CasePush,
  updates: HostTensor,
  indices: HostTensor,
  axis: number,
  shape: Shape,
): void {
  const counts = new Map<number, number>();
  for (const k of indices.values) counts.set(k, (counts.get(k) ?? 0) + 1);
  const terms = Math.max(1, ...counts.values());
  const absUpdates = hostTensor(updates.shape, 'float64', Array.from(updates.values, Math.abs));
  const scale = () => Math.max(1, ...oracleScatterAdd(absUpdates, indices, axis, shape).values);
  const t = () => kernelTolerance(updates.dtype, terms, 0);
  push({
    id: `kernel/ScatterAdd/${updates.dtype}/${indexText(shape, axis, indices)}`,
    kernel: 'ScatterAdd',
    dtypes: [...new Set([updates.dtype, 'int32' as const])],
    inputs: { updates, indices },
    attrs: { axis, shape },
    oracle: () => ({
      y: {
        tensor: oracleScatterAdd(updates, indices, axis, shape),
        tolerance: t(),
        scale: scale(),
      },
    }),
    tolerance: () => ({ y: { tolerance: t(), scale: scale() } }),
  });
}

/** The shape of `Gather(x, indices)` along `axis`, which is the shape of ScatterAdd's updates. */
export function gatheredShape(shape: Shape, axis: number, indices: HostTensor): Shape {
  return [...shape.slice(0, axis), ...indices.shape, ...shape.slice(axis + 1)];
}

/** `Gather` and `ScatterAdd` cases of one float dtype, on the same indices. */
export function gatherScatterCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  const gathers: [Shape, number, HostTensor][] = [
    [[17, 3], 0, hostTensor([6], 'int32', [16, 0, 3, 3, 7, 16])],
    [[3, 17, 4], 1, intTensor(rng, [2, 3], 0, 17)],
    [[33], 0, hostTensor([], 'int32', [32])],
    [[3, 1], 1, hostTensor([4], 'int32', [0, 0, 0, 0])],
    [[5, 33], 0, intTensor(rng, [17], 0, 5)],
  ];
  for (const [shape, axis, indices] of gathers) {
    pushGatherCase(push, uniformTensor(rng, shape, dtype), indices, axis);
    const updates = uniformTensor(rng, gatheredShape(shape, axis, indices), dtype);
    pushScatterAddCase(push, updates, indices, axis, shape);
  }
}
