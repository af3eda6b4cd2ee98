/** Batched beam search over a {@link Decoder}: the core of `generate`'s and `beamSearch`'s beams. */
import type { Decoder } from './decoder.js';
import { logSoftmaxRow } from './logits.js';

/** One finished hypothesis of a beam search. */
export interface BeamHypothesis {
  /** Generated tokens (without the prompt or start token; with the end token if one was produced). */
  tokens: number[];
  /** Sum of the tokens' log-probabilities. */
  logProb: number;
  /** Ranking score: `logProb / length^lengthPenalty`. */
  score: number;
}

/** Settings of {@link beamDecode}. */
export interface BeamSettings {
  beamWidth: number;
  maxLength: number;
  endToken?: number;
  lengthPenalty: number;
}

interface Beam {
  tokens: number[];
  logProb: number;
  /** The decoder row holding this beam's state. */
  row: number;
}

/**
 * Runs beam search for every row of `firstLogits` (the decoder's logits after each prompt)
 * and returns each row's hypotheses, best first. Candidates are ranked by total
 * log-probability, ties broken by beam then token index (deterministic).
 */
export function beamDecode(
  decoder: Decoder,
  firstLogits: Float64Array[],
  settings: BeamSettings,
): BeamHypothesis[][] {
  const { beamWidth: W, maxLength, endToken } = settings;
  const score = (logProb: number, len: number) =>
    logProb / Math.max(1, len) ** settings.lengthPenalty;
  let live: Beam[][] = firstLogits.map((_, b) => [{ tokens: [], logProb: 0, row: b }]);
  const finished: BeamHypothesis[][] = firstLogits.map(() => []);
  let rows = firstLogits;
  for (let t = 0; t < maxLength; t++) {
    const logp = rows.map(logSoftmaxRow);
    const sources: number[] = [];
    const tokens: number[] = [];
    live = live.map((beams, b) => {
      const candidates: { beam: number; token: number; logProb: number }[] = [];
      beams.forEach((beam, i) =>
        logp[beam.row].forEach((lp, token) =>
          candidates.push({ beam: i, token, logProb: beam.logProb + lp }),
        ),
      );
      candidates.sort((x, y) => y.logProb - x.logProb || x.beam - y.beam || x.token - y.token);
      const next: Beam[] = [];
      for (const c of candidates) {
        if (next.length >= W || finished[b].length >= W) break;
        const seq = [...beams[c.beam].tokens, c.token];
        if (c.token === endToken) {
          finished[b].push({
            tokens: seq,
            logProb: c.logProb,
            score: score(c.logProb, seq.length),
          });
          continue;
        }
        next.push({ tokens: seq, logProb: c.logProb, row: sources.length });
        sources.push(beams[c.beam].row);
        tokens.push(c.token);
      }
      return finished[b].length >= W ? [] : next;
    });
    // Beams of rows that finished this step keep their slots until select drops them.
    const kept = live.flat();
    if (kept.length === 0 || t === maxLength - 1) break;
    const order = kept.map((beam) => beam.row);
    decoder.select(order.map((r) => sources[r]));
    rows = decoder.next(order.map((r) => tokens[r]));
    let i = 0;
    for (const beams of live) for (const beam of beams) beam.row = i++;
  }
  return finished.map((done, b) => {
    const all =
      done.length < W
        ? [
            ...done,
            ...live[b].map((beam) => ({
              tokens: beam.tokens,
              logProb: beam.logProb,
              score: score(beam.logProb, beam.tokens.length),
            })),
          ]
        : done;
    return all.sort((x, y) => y.score - x.score).slice(0, W);
  });
}
