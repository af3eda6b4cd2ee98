/**
 * Kernel cases of `Gather` and its adjoint `ScatterAdd` (repeated indices accumulate).
 */
import type { Random, Shape } from '@rnnkit/core';
import { type HostTensor, hostTensor, intTensor, shapeText, uniformTensor } from '@rnnkit/testing';
import { oracleGather, oracleScatterAdd } from '../oracle.js';
import { kernelTolerance } from '../tolerances.js';
import { type CasePush, exact, type FloatDType } from './domains.js';

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
    const x = uniformTensor(rng, shape, dtype);
    push({
      id: `kernel/Gather/${dtype}/${shapeText(shape)}/axis=${axis}/indices=${shapeText(indices.shape)}`,
      kernel: 'Gather',
      dtypes: [dtype, 'int32'],
      inputs: { x, indices },
      attrs: { axis },
      oracle: () => ({ y: { tensor: oracleGather(x, indices, axis), tolerance: 0 } }),
      tolerance: exact(),
    });
    const upShape = [...shape.slice(0, axis), ...indices.shape, ...shape.slice(axis + 1)];
    const updates = uniformTensor(rng, upShape, dtype);
    const counts = new Map<number, number>();
    for (const k of indices.values) counts.set(k, (counts.get(k) ?? 0) + 1);
    const terms = Math.max(1, ...counts.values());
    const absUpdates = hostTensor(upShape, 'float64', Array.from(updates.values, Math.abs));
    const scale = () => Math.max(1, ...oracleScatterAdd(absUpdates, indices, axis, shape).values);
    push({
      id: `kernel/ScatterAdd/${dtype}/${shapeText(shape)}/axis=${axis}/indices=${shapeText(indices.shape)}`,
      kernel: 'ScatterAdd',
      dtypes: [dtype, 'int32'],
      inputs: { updates, indices },
      attrs: { axis, shape },
      oracle: () => ({
        y: {
          tensor: oracleScatterAdd(updates, indices, axis, shape),
          tolerance: kernelTolerance(dtype, terms, 0),
          scale: scale(),
        },
      }),
      tolerance: () => ({ y: { tolerance: kernelTolerance(dtype, terms, 0), scale: scale() } }),
    });
  }
}
