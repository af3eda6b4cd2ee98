// Token-id sentences → post-padded int32 batches, grouped by length so little is padded.
import { type Random, type Tensor, tensor } from '@rnnkit/core';
import { PAD_ID, UNK_ID } from './vocab.js';

/** One padded batch: `tokens [B, T]` (T the longest sentence) and the rows it holds. */
export interface Batch {
  /** int32 token ids, {@link PAD_ID} after each sentence. */
  tokens: Tensor;
  /** Indices of the batch's sentences in the encoded list. */
  rows: number[];
}

/** Word dropout while training: each token becomes the unknown token with probability `rate`. */
export interface WordDropout {
  /** Probability of replacing a token. */
  rate: number;
  /** Generator of the draws. */
  rng: Random;
}

/**
 * Pads `ids[rows]` into a {@link Batch}; every sentence must hold at least one token. With
 * `wordDropout`, tokens are replaced by the unknown token at random (a regulariser that also
 * teaches the model what to do with words it never saw).
 */
export function makeBatch(
  ids: readonly (readonly number[])[],
  rows: readonly number[],
  wordDropout?: WordDropout,
): Batch {
  const T = Math.max(1, ...rows.map((r) => ids[r].length));
  const tok = new Int32Array(rows.length * T).fill(PAD_ID);
  rows.forEach((r, b) => {
    tok.set(ids[r], b * T);
    if (wordDropout && wordDropout.rate > 0)
      for (let t = 0; t < ids[r].length; t++)
        if (wordDropout.rng.next() < wordDropout.rate) tok[b * T + t] = UNK_ID;
  });
  return {
    tokens: tensor(tok, [rows.length, T], 'int32'),
    rows: [...rows],
  };
}

/**
 * Batches of row indices with sentences of similar length together. With an `rng` the order
 * is random: rows are shuffled, cut into pools of 50 batches, each pool sorted by length and cut
 * into batches, and the batches shuffled (the usual bucketing iterator). Without one, rows are
 * sorted by length (evaluation order).
 */
export function bucketedBatches(
  lengths: readonly number[],
  rows: readonly number[],
  batchSize: number,
  rng?: Random,
): number[][] {
  const order = [...rows];
  const byLength = (a: number, b: number) => lengths[a] - lengths[b] || a - b;
  const out: number[][] = [];
  if (!rng) {
    order.sort(byLength);
    for (let i = 0; i < order.length; i += batchSize) out.push(order.slice(i, i + batchSize));
    return out;
  }
  rng.shuffle(order);
  const pool = batchSize * 50;
  for (let p = 0; p < order.length; p += pool) {
    const chunk = order.slice(p, p + pool).sort(byLength);
    for (let i = 0; i < chunk.length; i += batchSize) out.push(chunk.slice(i, i + batchSize));
  }
  rng.shuffle(out);
  return out;
}
