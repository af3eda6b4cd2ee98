// Stratified k-fold assignment with a fixed seed, and train/validation splits inside a fold.
import { Random } from '@rnnkit/core';
import { InputError } from './errors.js';

/**
 * Fold index (0…k−1) of every sample: each class's samples are shuffled with `seed` and dealt
 * round-robin, so every fold holds each class in the data's proportion (±1 sample).
 */
export function stratifiedFolds(y: readonly number[], k: number, seed: number): number[] {
  if (!(Number.isInteger(k) && k >= 2))
    throw new InputError(`--folds must be an integer ≥ 2, got ${k}`);
  if (k > y.length)
    throw new InputError(`--folds ${k} is more than the ${y.length} sentences of the data`);
  const rng = new Random(seed);
  const fold = new Array<number>(y.length);
  const classes = [...new Set(y)].sort((a, b) => a - b);
  let next = 0;
  for (const c of classes) {
    const rows = y.flatMap((v, i) => (v === c ? [i] : []));
    rng.shuffle(rows);
    for (const r of rows) fold[r] = next++ % k;
  }
  return fold;
}

/** Splits `rows` into training and validation rows, stratified, `fraction` of each class held out. */
export function holdOut(
  rows: readonly number[],
  y: readonly number[],
  fraction: number,
  seed: number,
): { train: number[]; val: number[] } {
  const rng = new Random(seed);
  const train: number[] = [];
  const val: number[] = [];
  const classes = [...new Set(rows.map((r) => y[r]))].sort((a, b) => a - b);
  for (const c of classes) {
    const mine = rows.filter((r) => y[r] === c);
    rng.shuffle(mine);
    const n = Math.round(mine.length * fraction);
    val.push(...mine.slice(0, n));
    train.push(...mine.slice(n));
  }
  return { train, val };
}
