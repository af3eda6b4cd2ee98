/**
 * Sampling from logits: greedy, temperature, top-k and top-p.
 */
import { Random, type Tensor, ValueError } from '@rnnkit/core';
import { type LogitsLike, logitsRow, logitsRows, logSoftmaxRow } from './logits.js';

/** Options of {@link sampleLogits}. */
export interface SampleOptions {
  /** Divides the logits: < 1 sharpens, > 1 flattens (default 1). 0 means greedy. */
  temperature?: number;
  /** Keep only the `topK` most likely tokens (default: all). */
  topK?: number;
  /** Nucleus sampling: keep the smallest set of most likely tokens whose probability reaches `topP` (default 1). */
  topP?: number;
  /** Always take the most likely token (argmax; ties → lowest index). */
  greedy?: boolean;
  /** Generator (default: a `Random(seed)` if `seed` is given, else a fresh `Random(0)`). */
  rng?: Random;
  /** Seed for a new generator when `rng` is not given. */
  seed?: number;
}

/** The index of the largest value (first on ties). */
export function greedy(logits: LogitsLike): number {
  const row = logitsRow(logits, 'greedy');
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/**
 * The probabilities sampling draws from after temperature, top-k and top-p filtering (zeros
 * for removed tokens). Exposed for inspection and tests.
 */
export function filteredProbabilities(
  logits: LogitsLike,
  options: SampleOptions = {},
): Float64Array {
  const row = logitsRow(logits, 'filteredProbabilities');
  const V = row.length;
  if (V === 0) throw new ValueError('sampleLogits: logits are empty');
  const t = options.temperature ?? 1;
  if (!(t > 0))
    throw new ValueError(
      `sampleLogits: option 'temperature' must be > 0 (use greedy for 0), got ${t}`,
    );
  const logp = logSoftmaxRow(row.map((v) => v / t));
  const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => logp[b] - logp[a] || a - b);
  const keep = new Uint8Array(V);
  const k = options.topK ?? V;
  if (!(Number.isInteger(k) && k > 0))
    throw new ValueError(`sampleLogits: option 'topK' must be a positive integer, got ${k}`);
  const p = options.topP ?? 1;
  if (!(p > 0 && p <= 1))
    throw new ValueError(`sampleLogits: option 'topP' must be in (0, 1], got ${p}`);
  let mass = 0;
  for (let r = 0; r < Math.min(k, V); r++) {
    const i = order[r];
    keep[i] = 1;
    mass += Math.exp(logp[i]);
    if (mass >= p) break;
  }
  const probs = new Float64Array(V);
  let total = 0;
  for (let i = 0; i < V; i++) if (keep[i]) total += probs[i] = Math.exp(logp[i]);
  for (let i = 0; i < V; i++) probs[i] /= total;
  return probs;
}

/**
 * Draws one token index from logits, with temperature, top-k and top-p (nucleus) filtering,
 * or the argmax when `greedy` (or `temperature: 0`). Seeded: the same generator state gives
 * the same token.
 * @example
 * ```ts
 * const lastLogits = tensor([2, 1, 0.5, -1]); // [V]
 * const rng = new Random(7);
 * const next = sampleLogits(lastLogits, { temperature: 0.8, topP: 0.9, rng });
 * check([0, 1, 2].includes(next), true); // top-p 0.9 drops the unlikely token 3
 * check(filteredProbabilities(lastLogits, { temperature: 0.8, topP: 0.9 })[3], 0);
 * check(sampleLogits(lastLogits, { greedy: true }), 0);
 * ```
 */
export function sampleLogits(logits: LogitsLike, options: SampleOptions = {}): number {
  if (options.greedy || options.temperature === 0) return greedy(logits);
  const probs = filteredProbabilities(logits, options);
  const rng = options.rng ?? new Random(options.seed ?? 0);
  const u = rng.next();
  let acc = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] === 0) continue;
    last = i;
    acc += probs[i];
    if (u < acc) return i;
  }
  return last;
}

/** {@link sampleLogits} for each row of `[B, V]` logits, sharing one generator. */
export function sampleLogitsBatch(
  logits: Tensor | readonly ArrayLike<number>[],
  options: SampleOptions = {},
): number[] {
  const rng = options.rng ?? new Random(options.seed ?? 0);
  return logitsRows(logits, 'sampleLogitsBatch').map((row) =>
    sampleLogits(row, { ...options, rng }),
  );
}
