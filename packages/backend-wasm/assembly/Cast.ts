// The Cast kernel: float32 <-> int32 conversions.
import { toInt32 } from './util/math';

/** Float32 to int32 (truncating with JavaScript's ToInt32) for n values. */
export function castF32ToI32(x: usize, y: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<i32>(y + o, toInt32(<f64>load<f32>(x + o)));
  }
}

/** Int32 to float32 (round to nearest) for n values. */
export function castI32ToF32(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.convert_i32x4_s(v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, <f32>load<i32>(x + o));
  }
}
