import { type Tensor, ValueError } from '@rnnkit/core';
import { logitsRows, logSoftmaxRow } from './logits.js';

/** One finished hypothesis of {@link beamSearch}. */
export interface BeamHypothesis {
  /** Generated tokens (without the start token; with the end token if one was produced). */
  tokens: number[];
  /** Sum of the tokens' log-probabilities. */
  logProb: number;
  /** Ranking score: `logProb / length^lengthPenalty`. */
  score: number;
}

/** Options of {@link beamSearch}. `S` is the caller's decoder state (tensors or anything). */
export interface BeamSearchOptions<S> {
  /** Decoder state before the first step. */
  initialState: S;
  /** Token fed at the first step. */
  startToken: number;
  /** Token that ends a hypothesis (optional). */
  endToken?: number;
  /** Hypotheses kept per step (default 4). */
  beamWidth?: number;
  /** Maximum generated tokens (default 50). */
  maxLength: number;
  /** Length normalisation exponent α of `logProb / length^α` (default 0: raw log-probability). */
  lengthPenalty?: number;
  /**
   * One decoder step for all live beams at once: their last tokens and states in, logits or
   * log-probabilities `[beams, V]` (a tensor or rows; log-softmax is applied) and the new
   * states out (`states[i]` continues beam i).
   */
  step(
    lastTokens: number[],
    states: S[],
  ): { logits: Tensor | readonly ArrayLike<number>[]; states: S[] };
  /** Called once for every state no longer needed (e.g. to dispose tensors). */
  disposeState?(state: S): void;
}

interface Beam<S> {
  tokens: number[];
  logProb: number;
  state: S;
}

/**
 * Beam search over a step function: keeps the `beamWidth` best partial sequences by total
 * log-probability, moves those ending in `endToken` to the finished list, and returns the
 * finished (or, at `maxLength`, the live) hypotheses best first. Deterministic: ties are
 * broken by beam order then token index, so the same model gives the same result.
 * @example
 * ```ts
 * // A toy decoder: the logits of the next token depend only on the last one; token 3 ends.
 * const BOS = 0;
 * const EOS = 3;
 * const logitsAfter = [
 *   [0, 2, 1, 0], // after BOS: 1 is likeliest, then 2
 *   [0, 0, 2, 3], // after 1: EOS is likeliest
 *   [0, 0, 0, 4], // after 2: EOS
 * ];
 * const [best] = beamSearch({ initialState: null, startToken: BOS, endToken: EOS, beamWidth: 3, maxLength: 20,
 *   step: (tokens, states) => ({ logits: tokens.map((t) => logitsAfter[t]), states }) });
 * check(best.tokens, [1, EOS]);
 * const logSoftmax = (row: number[], i: number) => row[i] - Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
 * check(best.logProb, logSoftmax(logitsAfter[0], 1) + logSoftmax(logitsAfter[1], EOS));
 * ```
 */
export function beamSearch<S>(options: BeamSearchOptions<S>): BeamHypothesis[] {
  const width = options.beamWidth ?? 4;
  if (!(Number.isInteger(width) && width > 0))
    throw new ValueError(`beamSearch: option 'beamWidth' must be a positive integer, got ${width}`);
  if (!(Number.isInteger(options.maxLength) && options.maxLength > 0)) {
    throw new ValueError(
      `beamSearch: option 'maxLength' must be a positive integer, got ${options.maxLength}`,
    );
  }
  const alpha = options.lengthPenalty ?? 0;
  const score = (logProb: number, len: number) => logProb / Math.max(1, len) ** alpha;
  // States may be shared by several beams (two continuations of one beam): count references and
  // hand a state to disposeState once no beam holds it. The caller keeps the initial state.
  const refs = new Map<S, number>();
  const acquire = (s: S) => refs.set(s, (refs.get(s) ?? 0) + 1);
  const drop = (s: S) => {
    const n = (refs.get(s) ?? 0) - 1;
    if (n > 0) {
      refs.set(s, n);
      return;
    }
    refs.delete(s);
    if (s !== options.initialState) options.disposeState?.(s);
  };
  let live: Beam<S>[] = [{ tokens: [], logProb: 0, state: options.initialState }];
  acquire(options.initialState);
  const finished: BeamHypothesis[] = [];
  for (let t = 0; t < options.maxLength && live.length > 0 && finished.length < width; t++) {
    const last = live.map((b) =>
      b.tokens.length > 0 ? b.tokens[b.tokens.length - 1] : options.startToken,
    );
    const out = options.step(
      last,
      live.map((b) => b.state),
    );
    const rows = logitsRows(out.logits, 'beamSearch').map(logSoftmaxRow);
    if (rows.length !== live.length || out.states.length !== live.length) {
      throw new ValueError(
        `beamSearch: step returned ${rows.length} rows and ${out.states.length} states for ${live.length} beams`,
      );
    }
    const candidates: { beam: number; token: number; logProb: number }[] = [];
    rows.forEach((row, b) =>
      row.forEach((lp, token) =>
        candidates.push({ beam: b, token, logProb: live[b].logProb + lp }),
      ),
    );
    candidates.sort((x, y) => y.logProb - x.logProb || x.beam - y.beam || x.token - y.token);
    const next: Beam<S>[] = [];
    for (const c of candidates) {
      if (next.length >= width || finished.length >= width) break;
      const tokens = [...live[c.beam].tokens, c.token];
      if (c.token === options.endToken) {
        finished.push({ tokens, logProb: c.logProb, score: score(c.logProb, tokens.length) });
        continue;
      }
      next.push({ tokens, logProb: c.logProb, state: out.states[c.beam] });
    }
    for (const s of out.states) acquire(s);
    for (const b of next) acquire(b.state);
    for (const b of live) drop(b.state);
    for (const s of out.states) drop(s);
    live = next;
  }
  if (finished.length < width) {
    for (const b of live)
      finished.push({
        tokens: b.tokens,
        logProb: b.logProb,
        score: score(b.logProb, b.tokens.length),
      });
  }
  for (const b of live) drop(b.state);
  return finished.sort((a, b) => b.score - a.score).slice(0, width);
}
