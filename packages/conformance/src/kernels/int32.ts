/**
 * Kernel cases on int32 data beyond the float families' int32 cases: division (truncated like
 * a typed-array store; by zero it gives 0) and powers, reductions, ArgMax, casts over the
 * whole int32 range, indexing and data movement of int32 tensors, one-hot rows in int32.
 * Integer arithmetic is exact: every case must match bit for bit.
 */
import type { DType, Random } from '@rnnkit/core';
import { BINARY_OPS, REDUCE_OPS } from '@rnnkit/core';
import { hostTensor, intTensor } from '@rnnkit/testing';
import { oracleCast, oracleConcat, oracleOneHot, oraclePad, oracleTranspose } from '../oracle.js';
import { pushArgMaxCase } from './ArgMax.js';
import { pushBinaryCase } from './Binary.js';
import { type CasePush, pushExact } from './domains.js';
import { gatheredShape, pushGatherCase, pushScatterAddCase } from './Gather.js';
import { pushReduceCase } from './Reduce.js';

/** Every int32 case of this file (draws from `rng`). */
export function int32Cases(rng: Random, push: CasePush): void {
  const a = hostTensor([12], 'int32', [7, -7, 7, -7, 0, 5, 16777, 3, -3, 2, 9, 1]);
  const b = hostTensor([12], 'int32', [2, 2, -2, -2, 3, 0, 7, 3, 3, 10, -3, 0]);
  for (const op of ['div', 'pow'] as const) pushBinaryCase(push, op, a, b, 'by-hand');
  // |a| < 10 and 0 <= b < 7 keep powers exact in float32 storage (below 2^24).
  for (const op of BINARY_OPS)
    pushBinaryCase(push, op, intTensor(rng, [3, 17], -9, 10), intTensor(rng, [17], 1, 7));
  for (const op of REDUCE_OPS) {
    const x = intTensor(rng, [4, 6], -100, 100);
    pushReduceCase(push, x, op, [0], false);
    pushReduceCase(push, x, op, [1], true);
  }
  pushArgMaxCase(push, intTensor(rng, [3, 5], 0, 3), 1, '/ties');
  pushArgMaxCase(push, intTensor(rng, [1, 17, 3], -5, 5), 1);
  const wide = intTensor(rng, [5, 3], -1e9, 1e9);
  for (const to of ['float32', 'int32'] as DType[])
    pushExact(
      push,
      {
        id: `kernel/Cast/int32/to-${to}/[5, 3]/wide`,
        kernel: 'Cast',
        dtypes: ['int32', to],
        inputs: { x: wide },
        attrs: { dtype: to },
      },
      () => oracleCast(wide, to),
    );
  const shape = [4, 3];
  for (const axis of [0, 1]) {
    const indices = intTensor(rng, [2, 3], 0, shape[axis]);
    pushGatherCase(push, intTensor(rng, shape, -9, 9), indices, axis);
    const updates = intTensor(rng, gatheredShape(shape, axis, indices), -9, 9);
    pushScatterAddCase(push, updates, indices, axis, shape);
  }
  const indices = hostTensor([2, 3], 'int32', [0, 3, -1, 5, 2, 4]);
  pushExact(
    push,
    {
      id: 'kernel/OneHot/int32/[2, 3]/depth=5',
      kernel: 'OneHot',
      dtypes: ['int32'],
      inputs: { indices },
      attrs: { depth: 5, dtype: 'int32' },
    },
    () => oracleOneHot(indices, 5, 'int32'),
  );
  const x = intTensor(rng, [2, 3, 4], -5, 5);
  const paddings: [number, number][] = [
    [1, 0],
    [0, 2],
    [2, 1],
  ];
  // A fractional pad value is stored as int32 data: truncated toward zero.
  pushExact(
    push,
    {
      id: 'kernel/Pad/int32/[2, 3, 4]/value=-1.5',
      kernel: 'Pad',
      dtypes: ['int32'],
      inputs: { x },
      attrs: { paddings, value: -1.5 },
    },
    () => oraclePad(x, paddings, -1.5),
  );
  pushExact(
    push,
    {
      id: 'kernel/Transpose/int32/[2, 3, 4]/perm=[2, 0, 1]',
      kernel: 'Transpose',
      dtypes: ['int32'],
      inputs: { x },
      attrs: { perm: [2, 0, 1] },
    },
    () => oracleTranspose(x, [2, 0, 1]),
  );
  const xs = [x, intTensor(rng, [2, 1, 4], -5, 5)];
  pushExact(
    push,
    {
      id: 'kernel/Concat/int32/[2, 3, 4]+[2, 1, 4]/axis=1',
      kernel: 'Concat',
      dtypes: ['int32'],
      inputs: { xs },
      attrs: { axis: 1 },
    },
    () => oracleConcat(xs, 1),
  );
}
