// The ScatterAdd kernel: adds slices into a zero tensor at indices along one axis (f32x4 adds
// for float32).

/** y (zeroed here) of [outer, extent, inner]: y[o, indices[k], :] += u[o, k, :]. */
export function scatterAdd(
  u: usize, outer: i32, extent: i32, inner: i32, indices: usize, count: i32, y: usize, isInt: bool,
): void {
  memory.fill(y, 0, <usize>(outer * extent * inner) << 2);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < count; k++) {
      const at = load<i32>(indices + (<usize>k << 2));
      const src = u + (<usize>((o * count + k) * inner) << 2);
      const dst = y + (<usize>((o * extent + at) * inner) << 2);
      if (isInt) {
        for (let i = 0; i < inner; i++) {
          const p = <usize>i << 2;
          store<i32>(dst + p, load<i32>(dst + p) + load<i32>(src + p));
        }
      } else {
        let i = 0;
        for (; i + 4 <= inner; i += 4) {
          const p = <usize>i << 2;
          v128.store(dst + p, f32x4.add(v128.load(dst + p), v128.load(src + p)));
        }
        for (; i < inner; i++) {
          const p = <usize>i << 2;
          store<f32>(dst + p, load<f32>(dst + p) + load<f32>(src + p));
        }
      }
    }
  }
}
