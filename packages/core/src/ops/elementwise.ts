/**
 * Element-wise ops: `unary`, `binary` and their named forms (`add`, `mul`, `exp`, …).
 */
import { ENGINE } from '../engine.js';
import { DTypeError } from '../errors.js';
import type { BinaryOp, UnaryOp } from '../kernel_names.js';
import { Tensor } from '../tensor.js';
import { scalar } from './create.js';
import { broadcastShapes } from './util.js';

/** Runs the `Unary` kernel. */
export function unary(op: UnaryOp, x: Tensor): Tensor {
  if (
    x.dtype === 'int32' &&
    op !== 'neg' &&
    op !== 'abs' &&
    op !== 'sign' &&
    op !== 'square' &&
    op !== 'relu' &&
    op !== 'step'
  ) {
    throw new DTypeError(`${op}: argument 'x' must be a float tensor, got int32`);
  }
  return ENGINE.runKernel('Unary', { x }, { op }).y;
}

/** Runs the `Binary` kernel; a number operand becomes a scalar of the other operand's dtype. */
export function binary(op: BinaryOp, a: Tensor | number, b: Tensor | number): Tensor {
  const [ta, tb] = asTensors(op, a, b);
  if (ta.dtype !== tb.dtype) {
    throw new DTypeError(
      `${op}: arguments 'a' and 'b' must have the same dtype, got ${ta.dtype} and ${tb.dtype}`,
    );
  }
  const shape = broadcastShapes(op, ta.shape, tb.shape);
  return ENGINE.runKernel('Binary', { a: ta, b: tb }, { op, shape }).y;
}

function asTensors(op: string, a: Tensor | number, b: Tensor | number): [Tensor, Tensor] {
  if (a instanceof Tensor && b instanceof Tensor) return [a, b];
  if (a instanceof Tensor) return [a, scalar(b as number, a.dtype)];
  if (b instanceof Tensor) return [scalar(a as number, b.dtype), b];
  throw new DTypeError(`${op}: at least one of 'a' and 'b' must be a Tensor`);
}

/** `a + b` with broadcasting. */
export const add = (a: Tensor | number, b: Tensor | number): Tensor => binary('add', a, b);
/** `a - b` with broadcasting. */
export const sub = (a: Tensor | number, b: Tensor | number): Tensor => binary('sub', a, b);
/** `a * b` with broadcasting. */
export const mul = (a: Tensor | number, b: Tensor | number): Tensor => binary('mul', a, b);
/** `a / b` with broadcasting. */
export const div = (a: Tensor | number, b: Tensor | number): Tensor => binary('div', a, b);
/** Element-wise maximum. */
export const maximum = (a: Tensor | number, b: Tensor | number): Tensor => binary('maximum', a, b);
/** Element-wise minimum. */
export const minimum = (a: Tensor | number, b: Tensor | number): Tensor => binary('minimum', a, b);
/** `a ** b` element-wise. */
export const pow = (a: Tensor | number, b: Tensor | number): Tensor => binary('pow', a, b);
/** 1 where `a == b`, else 0. */
export const equal = (a: Tensor | number, b: Tensor | number): Tensor => binary('equal', a, b);
/** 1 where `a > b`, else 0. */
export const greater = (a: Tensor | number, b: Tensor | number): Tensor => binary('greater', a, b);
/** 1 where `a >= b`, else 0. */
export const greaterEqual = (a: Tensor | number, b: Tensor | number): Tensor =>
  binary('greaterEqual', a, b);
/** 1 where `a < b`, else 0. */
export const less = (a: Tensor | number, b: Tensor | number): Tensor => binary('less', a, b);
/** 1 where `a <= b`, else 0. */
export const lessEqual = (a: Tensor | number, b: Tensor | number): Tensor =>
  binary('lessEqual', a, b);

/** `-x`. */
export const neg = (x: Tensor): Tensor => unary('neg', x);
/** `|x|`. */
export const abs = (x: Tensor): Tensor => unary('abs', x);
/** -1, 0 or 1 by the sign of x. */
export const sign = (x: Tensor): Tensor => unary('sign', x);
/** `e^x`. */
export const exp = (x: Tensor): Tensor => unary('exp', x);
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => unary('log', x);
/** `log(1 + x)`, accurate near 0. */
export const log1p = (x: Tensor): Tensor => unary('log1p', x);
/** Square root. */
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
/** `1 / sqrt(x)`. */
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x);
/** `x * x`. */
export const square = (x: Tensor): Tensor => unary('square', x);
/** `1 / x`. */
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x);
/** Hyperbolic tangent. */
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
/** Logistic sigmoid `1 / (1 + e^-x)`. */
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
/** `max(0, x)`. */
export const relu = (x: Tensor): Tensor => unary('relu', x);
/** 1 where x > 0, else 0. */
export const step = (x: Tensor): Tensor => unary('step', x);
/** `log(1 + e^x)`, computed stably. */
export const softplus = (x: Tensor): Tensor => unary('softplus', x);
