// The OneHot kernel: one row of `depth` words per index (4-byte words serve float32 and int32).

/** One row of `depth` words per index, zero except `oneBits` at the index when in range. */
export function oneHot(indices: usize, count: i32, depth: i32, oneBits: i32, y: usize): void {
  memory.fill(y, 0, <usize>(count * depth) << 2);
  for (let k = 0; k < count; k++) {
    const at = load<i32>(indices + (<usize>k << 2));
    if (at >= 0 && at < depth) store<i32>(y + (<usize>(k * depth + at) << 2), oneBits);
  }
}
