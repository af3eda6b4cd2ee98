// The Binary kernel: broadcasting element-wise functions of two tensors, f32x4 runs on float32
// where the function has a vector form, f64 computed and rounded once otherwise.
import { toInt32 } from './util/math';
import { BINARY_ADD, BINARY_DIV, BINARY_EQUAL, BINARY_GREATER, BINARY_GREATER_EQUAL, BINARY_LESS, BINARY_LESS_EQUAL, BINARY_MAXIMUM, BINARY_MINIMUM, BINARY_MUL, BINARY_POW, BINARY_SUB } from './generated/ops';

function binaryF64(op: i32, a: f64, b: f64): f64 {
  switch (op) {
    case BINARY_ADD: return a + b;
    case BINARY_SUB: return a - b;
    case BINARY_MUL: return a * b;
    case BINARY_DIV: return a / b;
    case BINARY_MAXIMUM: return Math.max(a, b);
    case BINARY_MINIMUM: return Math.min(a, b);
    case BINARY_POW: return Math.pow(a, b);
    case BINARY_EQUAL: return a == b ? 1.0 : 0.0;
    case BINARY_GREATER: return a > b ? 1.0 : 0.0;
    case BINARY_GREATER_EQUAL: return a >= b ? 1.0 : 0.0;
    case BINARY_LESS: return a < b ? 1.0 : 0.0;
    default: return a <= b ? 1.0 : 0.0;
  }
}

// @ts-ignore: decorator
@inline function binaryV(op: i32, a: v128, b: v128): v128 {
  const one = f32x4.splat(1.0);
  if (op == BINARY_ADD) return f32x4.add(a, b);
  if (op == BINARY_SUB) return f32x4.sub(a, b);
  if (op == BINARY_MUL) return f32x4.mul(a, b);
  if (op == BINARY_DIV) return f32x4.div(a, b);
  if (op == BINARY_MAXIMUM) return f32x4.max(a, b);
  if (op == BINARY_MINIMUM) return f32x4.min(a, b);
  if (op == BINARY_EQUAL) return v128.and(f32x4.eq(a, b), one);
  if (op == BINARY_GREATER) return v128.and(f32x4.gt(a, b), one);
  if (op == BINARY_GREATER_EQUAL) return v128.and(f32x4.ge(a, b), one);
  if (op == BINARY_LESS) return v128.and(f32x4.lt(a, b), one);
  return v128.and(f32x4.le(a, b), one);
}

// @ts-ignore: decorator
@inline function binaryS(op: i32, a: f32, b: f32): f32 {
  return f32x4.extract_lane(binaryV(op, f32x4.splat(a), f32x4.splat(b)), 0);
}

/** One contiguous run of the output: y[i] = op(a[i * sa], b[i * sb]). */
// @ts-ignore: decorator
@inline function binaryRun(op: i32, a: usize, sa: i32, b: usize, sb: i32, y: usize, n: i32): void {
  let i = 0;
  if (sa == 1 && sb == 1) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, binaryV(op, v128.load(a + o), v128.load(b + o)));
    }
  } else if (sa == 1 && sb == 0) {
    const vb = v128.load32_splat(b);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, binaryV(op, v128.load(a + o), vb));
    }
  } else if (sa == 0 && sb == 1) {
    const va = v128.load32_splat(a);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(y + o, binaryV(op, va, v128.load(b + o)));
    }
  }
  for (; i < n; i++) {
    store<f32>(
      y + (<usize>i << 2),
      binaryS(op, load<f32>(a + (<usize>(i * sa) << 2)), load<f32>(b + (<usize>(i * sb) << 2))),
    );
  }
}

function binaryRunF32(op: i32, a: usize, sa: i32, b: usize, sb: i32, y: usize, n: i32): void {
  switch (op) {
    case BINARY_ADD: binaryRun(BINARY_ADD, a, sa, b, sb, y, n); break;
    case BINARY_SUB: binaryRun(BINARY_SUB, a, sa, b, sb, y, n); break;
    case BINARY_MUL: binaryRun(BINARY_MUL, a, sa, b, sb, y, n); break;
    case BINARY_DIV: binaryRun(BINARY_DIV, a, sa, b, sb, y, n); break;
    case BINARY_MAXIMUM: binaryRun(BINARY_MAXIMUM, a, sa, b, sb, y, n); break;
    case BINARY_MINIMUM: binaryRun(BINARY_MINIMUM, a, sa, b, sb, y, n); break;
    case BINARY_EQUAL: binaryRun(BINARY_EQUAL, a, sa, b, sb, y, n); break;
    case BINARY_GREATER: binaryRun(BINARY_GREATER, a, sa, b, sb, y, n); break;
    case BINARY_GREATER_EQUAL: binaryRun(BINARY_GREATER_EQUAL, a, sa, b, sb, y, n); break;
    case BINARY_LESS: binaryRun(BINARY_LESS, a, sa, b, sb, y, n); break;
    case BINARY_LESS_EQUAL: binaryRun(BINARY_LESS_EQUAL, a, sa, b, sb, y, n); break;
    default:
      for (let i = 0; i < n; i++) {
        const va = <f64>load<f32>(a + (<usize>(i * sa) << 2));
        const vb = <f64>load<f32>(b + (<usize>(i * sb) << 2));
        store<f32>(y + (<usize>i << 2), <f32>binaryF64(op, va, vb));
      }
  }
}

function binaryRunI32(op: i32, a: usize, sa: i32, b: usize, sb: i32, y: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const va = <f64>load<i32>(a + (<usize>(i * sa) << 2));
    const vb = <f64>load<i32>(b + (<usize>(i * sb) << 2));
    store<i32>(y + (<usize>i << 2), toInt32(binaryF64(op, va, vb)));
  }
}

/**
 * Broadcasting binary function over an output of `rank` (>= 1) axes. `params` holds int32
 * arrays of 16 entries each: the output shape at +0, a's element strides at +64, b's at +128
 * (0 on broadcast axes) and 16 entries of counter scratch at +192.
 */
export function binary(op: i32, isInt: bool, rank: i32, params: usize, a: usize, b: usize, y: usize): void {
  const shape = params;
  const sA = params + 64;
  const sB = params + 128;
  const idx = params + 192;
  const last = <usize>(rank - 1) << 2;
  const n = load<i32>(shape + last);
  const ia = load<i32>(sA + last);
  const ib = load<i32>(sB + last);
  let outer = 1;
  for (let d = 0; d < rank - 1; d++) {
    outer *= load<i32>(shape + (<usize>d << 2));
    store<i32>(idx + (<usize>d << 2), 0);
  }
  if (n == 0) return;
  let offA = 0;
  let offB = 0;
  for (let o = 0; o < outer; o++) {
    const pa = a + (<usize>offA << 2);
    const pb = b + (<usize>offB << 2);
    const py = y + (<usize>(o * n) << 2);
    if (isInt) binaryRunI32(op, pa, ia, pb, ib, py, n);
    else binaryRunF32(op, pa, ia, pb, ib, py, n);
    for (let d = rank - 2; d >= 0; d--) {
      const dd = <usize>d << 2;
      const v = load<i32>(idx + dd) + 1;
      offA += load<i32>(sA + dd);
      offB += load<i32>(sB + dd);
      if (v < load<i32>(shape + dd)) {
        store<i32>(idx + dd, v);
        break;
      }
      store<i32>(idx + dd, 0);
      offA -= v * load<i32>(sA + dd);
      offB -= v * load<i32>(sB + dd);
    }
  }
}
