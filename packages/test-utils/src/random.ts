/** A seeded source of uniform numbers in `[0, 1)`: a function, or an object with `next()` (core's `Random`). */
export type RandomSource = (() => number) | { next(): number };

function drawer(source: RandomSource): () => number {
  return typeof source === 'function' ? source : () => source.next();
}

/** Deterministic PRNG (mulberry32): uniform numbers in `[0, 1)` in steps of 2^-32. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` uniform values in `[low, high)`. */
export function uniform(random: RandomSource, n: number, low = -1, high = 1): number[] {
  const next = drawer(random);
  return Array.from({ length: n }, () => low + (high - low) * next());
}

/** `n` integers in `[low, high)`. */
export function integers(random: RandomSource, n: number, low: number, high: number): number[] {
  const next = drawer(random);
  return Array.from({ length: n }, () => low + Math.floor((high - low) * next()));
}
