/**
 * `Random`, the seeded generator every random initialisation and sampling uses, and the global
 * seed.
 */
import { ValueError } from './errors.js';

/** A {@link Random}'s position in its stream (plain JSON), from {@link Random.getState}. */
export interface RandomState {
  /** The four 32-bit words of xoshiro128**'s state. */
  s: number[];
  /** The second normal of the last Box–Muller pair, when one is pending. */
  spareNormal?: number;
}

/**
 * A seeded pseudo-random generator (xoshiro128**, seeded through splitmix32): the same seed
 * gives the same stream on every platform, so the same seed gives the same model.
 * @example
 * ```ts
 * const rng = new Random(42);
 * const u = rng.next(); // uniform in [0, 1)
 * const z = rng.normal(); // standard normal
 * const order = rng.shuffle([1, 2, 3]); // in place
 * check(new Random(42).next(), u); // same seed, same stream
 * check(Number.isFinite(z) && u >= 0 && u < 1, true);
 * check([...order].sort(), [1, 2, 3]);
 * ```
 */
export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | undefined;

  /** @param seed - any finite number; its integer part seeds the stream. */
  constructor(seed: number) {
    this.seed(seed);
  }

  /** Restarts the stream from `seed`. */
  seed(seed: number): void {
    if (!Number.isFinite(seed))
      throw new ValueError(`Random: argument 'seed' must be a finite number, got ${seed}`);
    let x = Math.trunc(seed) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    this.spareNormal = undefined;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    return result;
  }

  /** A uniform number in `[0, 1)` with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform number in `[low, high)`. */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** A standard normal sample (Box–Muller). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const s = this.spareNormal;
      this.spareNormal = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in `[0, n)`. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0)
      throw new ValueError(`Random.int: argument 'n' must be a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /**
   * The generator's position in its stream, to save with a checkpoint and restore with
   * {@link Random.setState} so a resumed run draws exactly the numbers an uninterrupted one would.
   * @example
   * ```ts
   * const rng = new Random(3);
   * rng.next();
   * const saved = rng.getState(); // plain JSON
   * const a = [rng.next(), rng.normal()];
   * const again = new Random(0);
   * again.setState(JSON.parse(JSON.stringify(saved)));
   * check([again.next(), again.normal()], a);
   * ```
   */
  getState(): RandomState {
    const state: RandomState = { s: [this.s0, this.s1, this.s2, this.s3] };
    if (this.spareNormal !== undefined) state.spareNormal = this.spareNormal;
    return state;
  }

  /** Restores a position saved by {@link Random.getState}; a malformed state is a `ValueError`. */
  setState(state: RandomState): void {
    const s = (state as { s?: unknown } | null)?.s;
    const isWord = (v: unknown) =>
      Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff;
    if (!Array.isArray(s) || s.length !== 4 || !s.every(isWord) || s.every((v) => v === 0)) {
      throw new ValueError(
        `Random.setState: argument 'state.s' must be 4 unsigned 32-bit integers, not all 0, got ${JSON.stringify(s)}`,
      );
    }
    const spare = state.spareNormal;
    if (spare !== undefined && !Number.isFinite(spare))
      throw new ValueError(
        `Random.setState: argument 'state.spareNormal' must be a finite number or absent, got ${spare}`,
      );
    [this.s0, this.s1, this.s2, this.s3] = s as number[];
    this.spareNormal = spare;
  }

  /** A new generator seeded from this one: independent streams for sub-tasks. */
  fork(): Random {
    return new Random(this.nextUint32());
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

let global = new Random(0);

/** Reseeds the global generator used by default for initialisation, dropout and shuffling. */
export function setSeed(seed: number): void {
  global = new Random(seed);
}

/** The global generator. */
export function globalRandom(): Random {
  return global;
}
