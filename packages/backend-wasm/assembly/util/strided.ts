// The n-d strided copy of 32-bit words behind Slice, Pad, Concat, Transpose, Reverse and the
// transposing path of Reduce. Every dtype is 4 bytes wide, so it serves float32 and int32 alike.

/**
 * Copies an n-d block: element (i_0, ..., i_{r-1}) of `shape` moves from
 * src + 4 * sum(i_d * srcStride_d) to dst + 4 * sum(i_d * dstStride_d). Strides may be negative.
 * `params` holds int32 arrays of 16: shape at +0, source strides at +64, destination strides at
 * +128, counter scratch at +192.
 */
export function copyStrided(rank: i32, params: usize, src: usize, dst: usize): void {
  const shape = params;
  const sS = params + 64;
  const sD = params + 128;
  const idx = params + 192;
  const last = <usize>(rank - 1) << 2;
  const n = load<i32>(shape + last);
  const is = load<i32>(sS + last);
  const id = load<i32>(sD + last);
  let outer = 1;
  for (let d = 0; d < rank - 1; d++) {
    outer *= load<i32>(shape + (<usize>d << 2));
    store<i32>(idx + (<usize>d << 2), 0);
  }
  if (n == 0) return;
  let offS = 0;
  let offD = 0;
  for (let o = 0; o < outer; o++) {
    const ps = src + (<isize>offS << 2);
    const pd = dst + (<isize>offD << 2);
    if (is == 1 && id == 1) {
      memory.copy(pd, ps, <usize>n << 2);
    } else {
      for (let i = 0; i < n; i++) {
        store<u32>(pd + (<isize>(i * id) << 2), load<u32>(ps + (<isize>(i * is) << 2)));
      }
    }
    for (let d = rank - 2; d >= 0; d--) {
      const dd = <usize>d << 2;
      const v = load<i32>(idx + dd) + 1;
      offS += load<i32>(sS + dd);
      offD += load<i32>(sD + dd);
      if (v < load<i32>(shape + dd)) {
        store<i32>(idx + dd, v);
        break;
      }
      store<i32>(idx + dd, 0);
      offS -= v * load<i32>(sS + dd);
      offD -= v * load<i32>(sD + dd);
    }
  }
}
