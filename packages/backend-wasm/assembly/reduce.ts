// Reductions, arg-max and softmax.
import { expV } from './math';
import { scratch } from './memory';

// @ts-ignore: decorator
@inline const SUM = 0;
// @ts-ignore: decorator
@inline const MAX = 1;

// @ts-ignore: decorator
@inline function ld(p: usize, isInt: bool): f64 {
  return isInt ? <f64>load<i32>(p) : <f64>load<f32>(p);
}

// @ts-ignore: decorator
@inline function fold(op: i32, acc: f64, v: f64): f64 {
  return op == SUM ? acc + v : op == MAX ? Math.max(acc, v) : Math.min(acc, v);
}

function initial(op: i32): f64 {
  return op == SUM ? 0.0 : op == MAX ? -Infinity : Infinity;
}

// @ts-ignore: decorator
@inline function st(p: usize, v: f64, isInt: bool): void {
  if (isInt) {
    // Integer inputs give integer sums; wrap like JavaScript's ToInt32.
    let w = v % 4294967296.0;
    store<i32>(p, isFinite(v) ? <i32>(<i64>w) : 0);
  } else store<f32>(p, <f32>v);
}

/**
 * y[o, i] = op over r of x[o, r, i], for x of [outer, R, inner]; op 0 sum, 1 max, 2 min.
 * Accumulates in f64 like the reference backend.
 */
export function reduceMiddle(op: i32, isInt: bool, x: usize, outer: i32, R: i32, inner: i32, y: usize): void {
  const init = initial(op);
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      const row = x + (<usize>(o * R) << 2);
      let acc = init;
      if (op == SUM) {
        let acc1 = 0.0;
        let r = 0;
        for (; r + 2 <= R; r += 2) {
          acc += ld(row + (<usize>r << 2), isInt);
          acc1 += ld(row + (<usize>(r + 1) << 2), isInt);
        }
        if (r < R) acc += ld(row + (<usize>r << 2), isInt);
        acc += acc1;
      } else {
        for (let r = 0; r < R; r++) acc = fold(op, acc, ld(row + (<usize>r << 2), isInt));
      }
      st(y + (<usize>o << 2), acc, isInt);
    }
    return;
  }
  const accs = scratch(3, <usize>inner << 3);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) store<f64>(accs + (<usize>i << 3), init);
    for (let r = 0; r < R; r++) {
      const row = x + (<usize>((o * R + r) * inner) << 2);
      for (let i = 0; i < inner; i++) {
        const p = accs + (<usize>i << 3);
        store<f64>(p, fold(op, load<f64>(p), ld(row + (<usize>i << 2), isInt)));
      }
    }
    const out = y + (<usize>(o * inner) << 2);
    for (let i = 0; i < inner; i++) st(out + (<usize>i << 2), load<f64>(accs + (<usize>i << 3)), isInt);
  }
}

/**
 * Index of the largest value along the middle axis of [outer, extent, inner] (first on ties;
 * NaN beats every number, so the first NaN wins).
 */
export function argMax(isInt: bool, x: usize, outer: i32, extent: i32, inner: i32, y: usize): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = x + (<usize>(o * extent * inner + i) << 2);
      let best = 0;
      let bestValue = extent > 0 ? ld(base, isInt) : 0.0;
      for (let a = 1; a < extent && !isNaN(bestValue); a++) {
        const v = ld(base + (<usize>(a * inner) << 2), isInt);
        if (v > bestValue || isNaN(v)) {
          best = a;
          bestValue = v;
        }
      }
      store<i32>(y + (<usize>(o * inner + i) << 2), best);
    }
  }
}

/** Softmax (or log-softmax when `logOut`) of each row of [rows, n], max-subtracted. */
export function softmax(x: usize, rows: i32, n: i32, y: usize, logOut: bool): void {
  for (let r = 0; r < rows; r++) {
    const xr = x + (<usize>(r * n) << 2);
    const yr = y + (<usize>(r * n) << 2);
    let m: f32 = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = load<f32>(xr + (<usize>i << 2));
      // NaN propagates through max so the row becomes NaN, as in the reference.
      m = v > m || isNaN(v) ? v : m;
    }
    if (m == -Infinity) m = 0;
    const vm = f32x4.splat(m);
    // e = exp(x - max), kept in y for the plain softmax, summed in f64.
    let sumV = f32x4.splat(0);
    let sum: f64 = 0;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const e = expV(f32x4.sub(v128.load(xr + o), vm));
      if (!logOut) v128.store(yr + o, e);
      sumV = f32x4.add(sumV, e);
      if ((i & 1023) == 1020) {
        sum += <f64>f32x4.extract_lane(sumV, 0) + <f64>f32x4.extract_lane(sumV, 1) +
          <f64>f32x4.extract_lane(sumV, 2) + <f64>f32x4.extract_lane(sumV, 3);
        sumV = f32x4.splat(0);
      }
    }
    sum += <f64>f32x4.extract_lane(sumV, 0) + <f64>f32x4.extract_lane(sumV, 1) +
      <f64>f32x4.extract_lane(sumV, 2) + <f64>f32x4.extract_lane(sumV, 3);
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const e = f32x4.extract_lane(expV(f32x4.splat(load<f32>(xr + o) - m)), 0);
      if (!logOut) store<f32>(yr + o, e);
      sum += <f64>e;
    }
    if (logOut) {
      const shift = <f32>(Math.log(sum) + <f64>m);
      const vs = f32x4.splat(shift);
      i = 0;
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(yr + o, f32x4.sub(v128.load(xr + o), vs));
      }
      for (; i < n; i++) {
        const o = <usize>i << 2;
        store<f32>(yr + o, load<f32>(xr + o) - shift);
      }
    } else {
      const inv = <f32>(1.0 / sum);
      const vi = f32x4.splat(inv);
      i = 0;
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(yr + o, f32x4.mul(v128.load(yr + o), vi));
      }
      for (; i < n; i++) {
        const o = <usize>i << 2;
        store<f32>(yr + o, load<f32>(yr + o) * inv);
      }
    }
  }
}
