/**
 * Beam search over a caller's decoder.
 */
import { Tensor, tidy, ValueError } from '@rnnkit/core';
import { type BeamHypothesis, beamDecode } from './beam_decode.js';
import { type Decoder, readLogitsRows } from './decoder.js';

export type { BeamHypothesis } from './beam_decode.js';

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
  const owner = 'beamSearch';
  const width = options.beamWidth ?? 4;
  if (!(Number.isInteger(width) && width > 0))
    throw new ValueError(`${owner}: option 'beamWidth' must be a positive integer, got ${width}`);
  if (!(Number.isInteger(options.maxLength) && options.maxLength > 0)) {
    throw new ValueError(
      `${owner}: option 'maxLength' must be a positive integer, got ${options.maxLength}`,
    );
  }
  const decoder = new BeamStatesDecoder(owner, options);
  try {
    const first = decoder.prime([[options.startToken]]);
    return beamDecode(decoder, first, {
      beamWidth: width,
      maxLength: options.maxLength,
      endToken: options.endToken,
      lengthPenalty: options.lengthPenalty ?? 0,
    })[0];
  } finally {
    decoder.dispose();
  }
}

/**
 * One caller state per beam. A state may be shared by several beams (two continuations of
 * one beam); it goes to `disposeState` once, when no beam holds it. The caller keeps the
 * initial state.
 */
class BeamStatesDecoder<S> implements Decoder {
  private states: S[];

  constructor(
    private readonly owner: string,
    private readonly options: BeamSearchOptions<S>,
  ) {
    this.states = [options.initialState];
  }

  next(tokens: readonly number[]): Float64Array[] {
    const out = tidy(() => this.options.step([...tokens], [...this.states]));
    const rows = readLogitsRows(this.owner, out.logits, tokens.length);
    if (!Array.isArray(out.states) || out.states.length !== tokens.length)
      throw new ValueError(
        `${this.owner}: step returned ${rows.length} rows and ${out.states?.length} states for ${tokens.length} beams`,
      );
    if (out.logits instanceof Tensor) out.logits.dispose();
    this.replace(out.states);
    return rows;
  }

  prime(prompts: readonly (readonly number[])[]): Float64Array[] {
    return this.next(prompts.map((p) => p[0]));
  }

  select(rows: readonly number[]): void {
    this.replace(rows.map((r) => this.states[r]));
  }

  dispose(): void {
    this.replace([]);
  }

  private replace(next: S[]): void {
    const kept = new Set(next);
    for (const s of new Set(this.states))
      if (!kept.has(s) && s !== this.options.initialState) this.options.disposeState?.(s);
    this.states = next;
  }
}
