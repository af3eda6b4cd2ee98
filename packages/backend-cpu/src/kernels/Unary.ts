/**
 * The `Unary` kernel of the cpu backend and the scalar function of each unary op (one file per
 * kernel).
 */
import type { KernelFunc, UnaryOp } from '@rnnkit/core';
import { typedArrayFor } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import { relu, sigmoid, softplus } from './util/math.js';

/** The scalar function behind each {@link UnaryOp}. */
export const UNARY_FUNCTIONS: Readonly<Record<UnaryOp, (x: number) => number>> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: Math.sign,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  tanh: Math.tanh,
  sigmoid,
  relu,
  step: (x) => (x > 0 ? 1 : 0),
  softplus,
};

/** Element-wise function of one tensor; the result is stored in the input's dtype. */
export const unary: KernelFunc<'Unary', CpuBackend> = ({ x }, { op }, backend) => {
  const f = UNARY_FUNCTIONS[op];
  const xs = backend.values(x);
  const ys = typedArrayFor(x.dtype, xs.length);
  for (let i = 0; i < xs.length; i++) ys[i] = f(xs[i]);
  return { y: backend.make(ys, x.shape, x.dtype) };
};
