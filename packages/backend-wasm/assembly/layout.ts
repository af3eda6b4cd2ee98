// Layout kernels. Every dtype here is 4 bytes wide, so they move 32-bit words and serve both
// float32 and int32.

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

/** y[o, k, :] = x[o, indices[k], :] for x of [outer, extent, inner] and `count` indices. */
export function gather(x: usize, outer: i32, extent: i32, inner: i32, indices: usize, count: i32, y: usize): void {
  const bytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < count; k++) {
      const at = load<i32>(indices + (<usize>k << 2));
      memory.copy(
        y + (<usize>((o * count + k) * inner) << 2),
        x + (<usize>((o * extent + at) * inner) << 2),
        bytes,
      );
    }
  }
}

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

/** One row of `depth` words per index, zero except `oneBits` at the index when in range. */
export function oneHot(indices: usize, count: i32, depth: i32, oneBits: i32, y: usize): void {
  memory.fill(y, 0, <usize>(count * depth) << 2);
  for (let k = 0; k < count; k++) {
    const at = load<i32>(indices + (<usize>k << 2));
    if (at >= 0 && at < depth) store<i32>(y + (<usize>(k * depth + at) << 2), oneBits);
  }
}
