// The Gather kernel: copies slices of a tensor selected by indices along one axis.

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
