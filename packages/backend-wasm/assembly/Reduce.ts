// The Reduce kernel: sum, max or min over the middle axis of [outer, R, inner], accumulated in
// f64 (also used by the fused recurrent backward pass for the bias gradients).
import { scratch } from './memory';
import { REDUCE_MAX, REDUCE_SUM } from './generated/ops';

// @ts-ignore: decorator
@inline export function loadAsF64(p: usize, isInt: bool): f64 {
  return isInt ? <f64>load<i32>(p) : <f64>load<f32>(p);
}

// @ts-ignore: decorator
@inline function fold(op: i32, acc: f64, v: f64): f64 {
  return op == REDUCE_SUM ? acc + v : op == REDUCE_MAX ? Math.max(acc, v) : Math.min(acc, v);
}

function initial(op: i32): f64 {
  return op == REDUCE_SUM ? 0.0 : op == REDUCE_MAX ? -Infinity : Infinity;
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
      if (op == REDUCE_SUM) {
        let acc1 = 0.0;
        let r = 0;
        for (; r + 2 <= R; r += 2) {
          acc += loadAsF64(row + (<usize>r << 2), isInt);
          acc1 += loadAsF64(row + (<usize>(r + 1) << 2), isInt);
        }
        if (r < R) acc += loadAsF64(row + (<usize>r << 2), isInt);
        acc += acc1;
      } else {
        for (let r = 0; r < R; r++) acc = fold(op, acc, loadAsF64(row + (<usize>r << 2), isInt));
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
        store<f64>(p, fold(op, load<f64>(p), loadAsF64(row + (<usize>i << 2), isInt)));
      }
    }
    const out = y + (<usize>(o * inner) << 2);
    for (let i = 0; i < inner; i++) st(out + (<usize>i << 2), load<f64>(accs + (<usize>i << 3)), isInt);
  }
}
