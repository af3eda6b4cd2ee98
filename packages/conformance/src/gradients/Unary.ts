/**
 * Gradient checks of `Unary`: every unary op on a domain away from its kinks and poles, against central finite differences. One file per kernel,
 * like the kernel cases in `../kernels/`.
 */
import type { Tensor } from '@rnnkit/core';
import { UNARY_OPS, type UnaryOp, unary } from '@rnnkit/core';
import { shapeText } from '@rnnkit/testing';
import * as fc from 'fast-check';
import { type AddCheck, AWAY, type Domain, seedArb, shapeArb, U } from './domains.js';

const UNARY_GRAD_DOMAIN: Record<UnaryOp, Domain> = {
  neg: U(-2, 2),
  abs: AWAY(0.1, 2),
  sign: AWAY(0.1, 2),
  exp: U(-2, 2),
  log: U(0.3, 2),
  log1p: U(-0.5, 2),
  sqrt: U(0.3, 2),
  rsqrt: U(0.3, 2),
  square: U(-2, 2),
  reciprocal: AWAY(0.3, 2),
  tanh: U(-2, 2),
  sigmoid: U(-3, 3),
  relu: AWAY(0.1, 2),
  step: AWAY(0.1, 2),
  softplus: U(-3, 3),
};

/** The gradient checks of every unary op on a domain away from its kinks and poles. */
export function unaryGradientChecks(add: AddCheck): void {
  for (const op of UNARY_OPS) {
    add(
      `unary/${op}`,
      fc.record({ shape: shapeArb(0, 3), seed: seedArb }).map(({ shape, seed }) => ({
        label: `${op} ${shapeText(shape)}`,
        inputs: [UNARY_GRAD_DOMAIN[op](seed, shape)],
        seed,
        f: (x: Tensor) => unary(op, x),
      })),
    );
  }
}
