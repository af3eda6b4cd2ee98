// The Unary kernel: element-wise functions of one tensor. Float32 runs f32x4 loops where the
// function has a vector form; the rest (and every int32 input) compute in f64 and round once,
// exactly as the reference cpu backend does.
import { expV, sigmoidV, tanhV, toInt32 } from './util/math';
import { UNARY_ABS, UNARY_EXP, UNARY_LOG, UNARY_LOG1P, UNARY_NEG, UNARY_RECIPROCAL, UNARY_RELU, UNARY_RSQRT, UNARY_SIGMOID, UNARY_SIGN, UNARY_SOFTPLUS, UNARY_SQRT, UNARY_SQUARE, UNARY_STEP, UNARY_TANH } from './generated/ops';

/** The unary function in f64, matching the reference backend. */
function unaryF64(op: i32, x: f64): f64 {
  switch (op) {
    case UNARY_NEG: return -x;
    case UNARY_ABS: return Math.abs(x);
    case UNARY_SIGN: return x > 0 ? 1.0 : x < 0 ? -1.0 : x;
    case UNARY_EXP: return Math.exp(x);
    case UNARY_LOG: return Math.log(x);
    case UNARY_LOG1P: return Math.log1p(x);
    case UNARY_SQRT: return Math.sqrt(x);
    case UNARY_RSQRT: return 1.0 / Math.sqrt(x);
    case UNARY_SQUARE: return x * x;
    case UNARY_RECIPROCAL: return 1.0 / x;
    case UNARY_TANH: return Math.tanh(x);
    case UNARY_SIGMOID: {
      if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
      const e = Math.exp(x);
      return e / (1.0 + e);
    }
    case UNARY_RELU: return x > 0 ? x : isNaN(x) ? x : 0.0;
    case UNARY_STEP: return x > 0 ? 1.0 : 0.0;
    case UNARY_SOFTPLUS: return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    default: return x;
  }
}

/** Whether a float32 unary op has an f32x4 form. */
function hasVectorForm(op: i32): bool {
  return op == UNARY_NEG || op == UNARY_ABS || op == UNARY_EXP || op == UNARY_SQRT || op == UNARY_RSQRT || op == UNARY_SQUARE ||
    op == UNARY_RECIPROCAL || op == UNARY_TANH || op == UNARY_SIGMOID || op == UNARY_RELU || op == UNARY_STEP;
}

// @ts-ignore: decorator
@inline function unaryV(op: i32, x: v128): v128 {
  const one = f32x4.splat(1.0);
  if (op == UNARY_NEG) return f32x4.neg(x);
  if (op == UNARY_ABS) return f32x4.abs(x);
  if (op == UNARY_EXP) return expV(x);
  if (op == UNARY_SQRT) return f32x4.sqrt(x);
  if (op == UNARY_RSQRT) return f32x4.div(one, f32x4.sqrt(x));
  if (op == UNARY_SQUARE) return f32x4.mul(x, x);
  if (op == UNARY_RECIPROCAL) return f32x4.div(one, x);
  if (op == UNARY_TANH) return tanhV(x);
  if (op == UNARY_SIGMOID) return sigmoidV(x);
  if (op == UNARY_RELU) {
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
    case UNARY_NEG: unaryLoop(UNARY_NEG, x, y, n); break;
    case UNARY_ABS: unaryLoop(UNARY_ABS, x, y, n); break;
    case UNARY_EXP: unaryLoop(UNARY_EXP, x, y, n); break;
    case UNARY_SQRT: unaryLoop(UNARY_SQRT, x, y, n); break;
    case UNARY_RSQRT: unaryLoop(UNARY_RSQRT, x, y, n); break;
    case UNARY_SQUARE: unaryLoop(UNARY_SQUARE, x, y, n); break;
    case UNARY_RECIPROCAL: unaryLoop(UNARY_RECIPROCAL, x, y, n); break;
    case UNARY_TANH: unaryLoop(UNARY_TANH, x, y, n); break;
    case UNARY_SIGMOID: unaryLoop(UNARY_SIGMOID, x, y, n); break;
    case UNARY_RELU: unaryLoop(UNARY_RELU, x, y, n); break;
    default: unaryLoop(UNARY_STEP, x, y, n); break;
  }
}

/** y[i] = ToInt32(op(x[i])) for n int32 values. */
export function unaryI32(op: i32, x: usize, y: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<i32>(y + o, toInt32(unaryF64(op, <f64>load<i32>(x + o))));
  }
}
