/**
 * Kernel cases of `Unary`: every op on a matrix, a single element and a scalar, on a domain suited to it; int32 for the sign-like ops.
 */
import type { Random, Shape, UnaryOp } from '@rnnkit/core';
import { UNARY_OPS } from '@rnnkit/core';
import { awayFromZeroTensor, type HostTensor, intTensor, shapeText } from '@rnnkit/testing';
import { oracleUnary } from '../oracle.js';
import { kernelTolerance, type Tolerances } from '../tolerances.js';
import {
  type CasePush,
  type Domain,
  type FloatDType,
  uniform,
  withExtremes,
  withZeros,
} from './domains.js';

const UNARY_DOMAIN: Record<UnaryOp, Domain> = {
  neg: withZeros(-3, 3),
  abs: withZeros(-3, 3),
  sign: withZeros(-3, 3),
  exp: uniform(-5, 5),
  log: uniform(0.1, 3),
  log1p: uniform(-0.9, 3),
  sqrt: withZeros(0.1, 3),
  rsqrt: uniform(0.1, 3),
  square: uniform(-3, 3),
  reciprocal: (rng, shape, dtype) => awayFromZeroTensor(rng, shape, dtype, 0.25, 3),
  tanh: withExtremes(-4, 4, 30),
  sigmoid: withExtremes(-8, 8, 60),
  relu: withZeros(-3, 3),
  step: withZeros(-3, 3),
  softplus: withExtremes(-8, 8, 60),
};

/**
 * Rounded operations behind one element of each unary op (the transcendental ulps are added
 * from the tolerances): 0 for exact ops, 1 for one correctly rounded operation.
 */
export function unaryRoundings(op: UnaryOp, tol: Tolerances): number {
  const t = tol.transcendentalUlps;
  switch (op) {
    case 'neg':
    case 'abs':
    case 'sign':
    case 'relu':
    case 'step':
      return 0;
    case 'square':
    case 'sqrt':
    case 'reciprocal':
      return 1;
    case 'rsqrt':
      return 2;
    case 'exp':
    case 'log':
    case 'log1p':
    case 'tanh':
      return 1 + t;
    case 'sigmoid':
    case 'softplus':
      return 3 + t;
    default:
      return 1 + t;
  }
}

/** `Unary` cases of one float dtype. */
export function unaryCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  for (const op of UNARY_OPS) {
    for (const shape of [[17, 3], [1], []] as Shape[])
      pushUnaryCase(push, op, UNARY_DOMAIN[op](rng, shape, dtype));
  }
}

/** Adds the `Unary` case of `op` on `x`, held to the roundings of {@link unaryRoundings}; `label` defaults to the shape. */
export function pushUnaryCase(push: CasePush, op: UnaryOp, x: HostTensor, label?: string): void {
  const t = (tol: Tolerances) => kernelTolerance(x.dtype, 0, unaryRoundings(op, tol));
  push({
    id: `kernel/Unary/${x.dtype}/${op}/${label ?? shapeText(x.shape)}`,
    kernel: 'Unary',
    dtypes: [x.dtype],
    inputs: { x },
    attrs: { op },
    oracle: (tol) => ({ y: { tensor: oracleUnary(x, op), tolerance: t(tol) } }),
    tolerance: (tol) => ({ y: { tolerance: t(tol) } }),
  });
}

/** `Unary` cases on int32: the ops the op layer allows on integers. */
export function unaryInt32Cases(rng: Random, push: CasePush): void {
  for (const op of ['neg', 'abs', 'sign', 'square', 'relu', 'step'] as UnaryOp[]) {
    pushUnaryCase(push, op, intTensor(rng, [17, 3], -50, 51));
  }
}
