// The softmax of each row, max-subtracted with vector exp and f64 row sums; serves the Softmax
// and (with `logOut`) the LogSoftmax kernels.
import { expV } from './util/math';

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
