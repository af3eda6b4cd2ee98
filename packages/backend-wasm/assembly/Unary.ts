// The Unary kernel: element-wise functions of one tensor. Float32 runs f32x4 loops where the
// function has a vector form; the rest (and every int32 input) compute in f64 and round once,
// exactly as the reference cpu backend does.
import { expV, sigmoidV, tanhV, toInt32 } from './util/math';

// Unary op codes (the order of UNARY_OPS in @rnnkit/core).
// @ts-ignore: decorator
@inline const NEG = 0;
// @ts-ignore: decorator
@inline const ABS = 1;
// @ts-ignore: decorator
@inline const SIGN = 2;
// @ts-ignore: decorator
@inline const EXP = 3;
// @ts-ignore: decorator
@inline const LOG = 4;
// @ts-ignore: decorator
@inline const LOG1P = 5;
// @ts-ignore: decorator
@inline const SQRT = 6;
// @ts-ignore: decorator
@inline const RSQRT = 7;
// @ts-ignore: decorator
@inline const SQUARE = 8;
// @ts-ignore: decorator
@inline const RECIPROCAL = 9;
// @ts-ignore: decorator
@inline const TANH = 10;
// @ts-ignore: decorator
@inline const SIGMOID = 11;
// @ts-ignore: decorator
@inline const RELU = 12;
// @ts-ignore: decorator
@inline const STEP = 13;
// @ts-ignore: decorator
@inline const SOFTPLUS = 14;

/** The unary function in f64, matching the reference backend. */
function unaryF64(op: i32, x: f64): f64 {
  switch (op) {
    case NEG: return -x;
    case ABS: return Math.abs(x);
    case SIGN: return x > 0 ? 1.0 : x < 0 ? -1.0 : x;
    case EXP: return Math.exp(x);
    case LOG: return Math.log(x);
    case LOG1P: return Math.log1p(x);
    case SQRT: return Math.sqrt(x);
    case RSQRT: return 1.0 / Math.sqrt(x);
    case SQUARE: return x * x;
    case RECIPROCAL: return 1.0 / x;
    case TANH: return Math.tanh(x);
    case SIGMOID: {
      if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
      const e = Math.exp(x);
      return e / (1.0 + e);
    }
    case RELU: return x > 0 ? x : isNaN(x) ? x : 0.0;
    case STEP: return x > 0 ? 1.0 : 0.0;
    case SOFTPLUS: return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    default: return x;
  }
}

/** Whether a float32 unary op has an f32x4 form. */
function hasVectorForm(op: i32): bool {
  return op == NEG || op == ABS || op == EXP || op == SQRT || op == RSQRT || op == SQUARE ||
    op == RECIPROCAL || op == TANH || op == SIGMOID || op == RELU || op == STEP;
}

// @ts-ignore: decorator
@inline function unaryV(op: i32, x: v128): v128 {
  const one = f32x4.splat(1.0);
  if (op == NEG) return f32x4.neg(x);
  if (op == ABS) return f32x4.abs(x);
  if (op == EXP) return expV(x);
  if (op == SQRT) return f32x4.sqrt(x);
  if (op == RSQRT) return f32x4.div(one, f32x4.sqrt(x));
  if (op == SQUARE) return f32x4.mul(x, x);
  if (op == RECIPROCAL) return f32x4.div(one, x);
  if (op == TANH) return tanhV(x);
  if (op == SIGMOID) return sigmoidV(x);
  if (op == RELU) {
    // max(x, 0) but NaN stays NaN and -0 becomes +0, as in the reference.
    return v128.bitselect(x, f32x4.splat(0), v128.or(f32x4.gt(x, f32x4.splat(0)), f32x4.ne(x, x)));
  }
  // STEP
  return v128.and(f32x4.gt(x, f32x4.splat(0)), one);
}

// @ts-ignore: decorator
@inline function unaryLoop(op: i32, x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, unaryV(op, v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, f32x4.extract_lane(unaryV(op, f32x4.splat(load<f32>(x + o))), 0));
  }
}

/** y[i] = op(x[i]) for n float32 values. */
export function unaryF32(op: i32, x: usize, y: usize, n: i32): void {
  if (!hasVectorForm(op)) {
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(y + o, <f32>unaryF64(op, <f64>load<f32>(x + o)));
    }
    return;
  }
  switch (op) {
    case NEG: unaryLoop(NEG, x, y, n); break;
    case ABS: unaryLoop(ABS, x, y, n); break;
    case EXP: unaryLoop(EXP, x, y, n); break;
    case SQRT: unaryLoop(SQRT, x, y, n); break;
    case RSQRT: unaryLoop(RSQRT, x, y, n); break;
    case SQUARE: unaryLoop(SQUARE, x, y, n); break;
    case RECIPROCAL: unaryLoop(RECIPROCAL, x, y, n); break;
    case TANH: unaryLoop(TANH, x, y, n); break;
    case SIGMOID: unaryLoop(SIGMOID, x, y, n); break;
    case RELU: unaryLoop(RELU, x, y, n); break;
    default: unaryLoop(STEP, x, y, n); break;
  }
}

/** y[i] = ToInt32(op(x[i])) for n int32 values. */
export function unaryI32(op: i32, x: usize, y: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<i32>(y + o, toInt32(unaryF64(op, <f64>load<i32>(x + o))));
  }
}
