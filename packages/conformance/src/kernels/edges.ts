/**
 * Kernel cases at the shape edges every backend must handle: empty dimensions, scalars, rank 4
 * with a size-1 axis, every permutation and every axis subset, scalar and empty index tensors.
 * Strided and broadcast addressing goes wrong here first.
 */
import type { Random, Shape } from '@rnnkit/core';
import { REDUCE_OPS } from '@rnnkit/core';
import { hostTensor, intTensor, shapeText, uniformTensor } from '@rnnkit/testing';
import { oracleOneHot, oraclePad, oracleReverse, oracleSlice, oracleTranspose } from '../oracle.js';
import { pushArgMaxCase } from './ArgMax.js';
import { pushBinaryCase } from './Binary.js';
import { type CasePush, type FloatDType, pushExact } from './domains.js';
import { gatheredShape, pushGatherCase, pushScatterAddCase } from './Gather.js';
import { pushReduceCase } from './Reduce.js';
import { pushUnaryCase } from './Unary.js';

const RANK4: Shape = [2, 1, 3, 5];
const EMPTY: Shape = [3, 0, 2];

/** Every permutation of `0 .. n-1`. */
export function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]),
  );
}

/** Every subset of the axes of a rank-`n` tensor, in increasing order. */
export function axisSubsets(n: number): number[][] {
  return Array.from({ length: 1 << n }, (_, mask) =>
    Array.from({ length: n }, (_, d) => d).filter((d) => mask & (1 << d)),
  );
}

/** Edge-shape cases of the data-movement kernels in one float dtype. */
function layoutEdgeCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  for (const shape of [RANK4, EMPTY]) {
    const x = uniformTensor(rng, shape, dtype);
    const s = shapeText(shape);
    for (const perm of permutations(shape.length))
      pushExact(
        push,
        {
          id: `kernel/Transpose/${dtype}/${s}/perm=${shapeText(perm)}`,
          kernel: 'Transpose',
          dtypes: [dtype],
          inputs: { x },
          attrs: { perm },
        },
        () => oracleTranspose(x, perm),
      );
    for (const axes of axisSubsets(shape.length))
      pushExact(
        push,
        {
          id: `kernel/Reverse/${dtype}/${s}/axes=${shapeText(axes)}`,
          kernel: 'Reverse',
          dtypes: [dtype],
          inputs: { x },
          attrs: { axes },
        },
        () => oracleReverse(x, axes),
      );
    const begin = shape.map((d) => rng.int(d + 1) % Math.max(1, d));
    const size = shape.map((d, i) => rng.int(d - begin[i] + 1));
    pushExact(
      push,
      {
        id: `kernel/Slice/${dtype}/${s}/begin=${shapeText(begin)}/size=${shapeText(size)}`,
        kernel: 'Slice',
        dtypes: [dtype],
        inputs: { x },
        attrs: { begin, size },
      },
      () => oracleSlice(x, begin, size),
    );
    const paddings = shape.map((_, i) => [i % 3, (i + 1) % 3] as [number, number]);
    pushExact(
      push,
      {
        id: `kernel/Pad/${dtype}/${s}/paddings=${JSON.stringify(paddings)}/value=7`,
        kernel: 'Pad',
        dtypes: [dtype],
        inputs: { x },
        attrs: { paddings, value: 7 },
      },
      () => oraclePad(x, paddings, 7),
    );
  }
}

/** Edge-shape cases of the indexing kernels in one float dtype: every axis, scalar and empty indices. */
function indexEdgeCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  const shape: Shape = [2, 5, 3];
  for (let axis = 0; axis < shape.length; axis++)
    for (const indices of [
      hostTensor([], 'int32', [shape[axis] - 1]),
      intTensor(rng, [4], 0, shape[axis]),
      hostTensor([0], 'int32', []),
    ]) {
      pushGatherCase(push, uniformTensor(rng, shape, dtype), indices, axis);
      const updates = uniformTensor(rng, gatheredShape(shape, axis, indices), dtype);
      pushScatterAddCase(push, updates, indices, axis, shape);
    }
  const indices = intTensor(rng, [2, 3], -1, 5);
  pushExact(
    push,
    {
      id: `kernel/OneHot/${dtype}/[2, 3]/depth=0`,
      kernel: 'OneHot',
      dtypes: [dtype, 'int32'],
      inputs: { indices },
      attrs: { depth: 0, dtype },
    },
    () => oracleOneHot(indices, 0, dtype),
  );
  pushArgMaxCase(push, uniformTensor(rng, RANK4, dtype), 2);
}

/** Edge-shape cases of the arithmetic kernels in one float dtype. */
function arithmeticEdgeCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  for (const op of REDUCE_OPS) {
    const x4 = uniformTensor(rng, RANK4, dtype);
    for (const axes of [[1], [0, 3], [1, 2, 3]]) pushReduceCase(push, x4, op, axes, true);
    pushReduceCase(push, uniformTensor(rng, [], dtype), op, [], false);
    const empty = hostTensor([4, 0, 3], dtype, []);
    for (const axes of [[0], [1], [0, 2]]) pushReduceCase(push, empty, op, axes, false);
  }
  pushUnaryCase(push, 'exp', hostTensor([0, 3], dtype, []));
  for (const [sa, sb] of [
    [
      [2, 1, 4, 1],
      [3, 1, 5],
    ],
    [[], []],
    [[0, 3], [3]],
  ] as [Shape, Shape][])
    pushBinaryCase(
      push,
      'mul',
      uniformTensor(rng, sa, dtype, -3, 3),
      uniformTensor(rng, sb, dtype, -3, 3),
    );
}

/** Every edge-shape case of one float dtype. */
export function edgeCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  layoutEdgeCases(rng, dtype, push);
  indexEdgeCases(rng, dtype, push);
  arithmeticEdgeCases(rng, dtype, push);
}
