// The ArgMax kernel: index of the largest value along one axis.
import { loadAsF64 } from './Reduce';

/**
 * Index of the largest value along the middle axis of [outer, extent, inner] (first on ties;
 * NaN beats every number, so the first NaN wins).
 */
export function argMax(isInt: bool, x: usize, outer: i32, extent: i32, inner: i32, y: usize): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = x + (<usize>(o * extent * inner + i) << 2);
      let best = 0;
      let bestValue = extent > 0 ? loadAsF64(base, isInt) : 0.0;
      for (let a = 1; a < extent && !isNaN(bestValue); a++) {
        const v = loadAsF64(base + (<usize>(a * inner) << 2), isInt);
        if (v > bestValue || isNaN(v)) {
          best = a;
          bestValue = v;
        }
      }
      store<i32>(y + (<usize>(o * inner + i) << 2), best);
    }
  }
}
