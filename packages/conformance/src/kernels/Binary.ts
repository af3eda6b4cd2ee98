/**
 * Kernel cases of `Binary`: every op over broadcasting patterns, and the integer-exact ops on int32.
 */
import type { BinaryOp, DType, Random, Shape } from '@rnnkit/core';
import { BINARY_OPS } from '@rnnkit/core';
import {
  awayFromZeroTensor,
  type HostTensor,
  intTensor,
  shapeText,
  uniformTensor,
} from '@rnnkit/testing';
import { oracleBinary } from '../oracle.js';
import { kernelTolerance, type Tolerances } from '../tolerances.js';
import { broadcast, type CasePush, type FloatDType, grid } from './domains.js';

/** Rounded operations behind one element of each binary op (pow: two transcendental evaluations). */
export function binaryRoundings(op: BinaryOp, tol: Tolerances): number {
  if (op === 'pow') return 1 + 2 * tol.transcendentalUlps;
  if (op === 'add' || op === 'sub' || op === 'mul' || op === 'div') return 1;
  return 0;
}

const BINARY_SHAPES: [Shape, Shape][] = [
  [
    [17, 3],
    [17, 3],
  ],
  [
    [3, 1],
    [1, 17],
  ],
  [[33], []],
  [[], [33]],
  [[1, 3, 17], [17]],
  [
    [3, 17, 1],
    [3, 1, 33],
  ],
];

function binaryInputs(
  op: BinaryOp,
  rng: Random,
  sa: Shape,
  sb: Shape,
  dtype: DType,
): [HostTensor, HostTensor] {
  if (dtype === 'int32') return [intTensor(rng, sa, -20, 21), intTensor(rng, sb, -20, 21)];
  switch (op) {
    case 'div':
      return [uniformTensor(rng, sa, dtype, -3, 3), awayFromZeroTensor(rng, sb, dtype, 0.5, 3)];
    case 'pow':
      return [uniformTensor(rng, sa, dtype, 0.5, 2), uniformTensor(rng, sb, dtype, -2, 2)];
    case 'add':
    case 'sub':
    case 'mul':
      return [uniformTensor(rng, sa, dtype, -3, 3), uniformTensor(rng, sb, dtype, -3, 3)];
    default:
      return [grid(rng, sa, dtype), grid(rng, sb, dtype)];
  }
}

/** `Binary` cases of one float dtype. */
export function binaryCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  for (const op of BINARY_OPS) {
    for (const [sa, sb] of BINARY_SHAPES) {
      const [a, b] = binaryInputs(op, rng, sa, sb, dtype);
      pushBinaryCase(push, op, a, b);
    }
  }
}

/**
 * Adds the `Binary` case of `op` on `a` and `b` broadcast together, held to the roundings of
 * {@link binaryRoundings} (exact on int32); `label` defaults to the two shapes.
 */
export function pushBinaryCase(
  push: CasePush,
  op: BinaryOp,
  a: HostTensor,
  b: HostTensor,
  label?: string,
): void {
  const shape = broadcast(a.shape, b.shape);
  const t = (tol: Tolerances) => kernelTolerance(a.dtype, 0, binaryRoundings(op, tol));
  push({
    id: `kernel/Binary/${a.dtype}/${op}/${label ?? `${shapeText(a.shape)}x${shapeText(b.shape)}`}`,
    kernel: 'Binary',
    dtypes: [a.dtype],
    inputs: { a, b },
    attrs: { op, shape },
    oracle: (tol) => ({ y: { tensor: oracleBinary(a, b, op, shape), tolerance: t(tol) } }),
    tolerance: (tol) => ({ y: { tolerance: t(tol) } }),
  });
}

/** `Binary` cases on int32: the integer-exact ops. */
export function binaryInt32Cases(rng: Random, push: CasePush): void {
  for (const op of BINARY_OPS.filter((o) => o !== 'div' && o !== 'pow')) {
    for (const [sa, sb] of [BINARY_SHAPES[0], BINARY_SHAPES[1], BINARY_SHAPES[2]]) {
      const [a, b] = binaryInputs(op, rng, sa, sb, 'int32');
      pushBinaryCase(push, op, a, b);
    }
  }
}
