import { Random, type Tensor, ValueError } from '@rnnkit/core';
import { type SampleOptions, sampleLogits } from './sample.js';

/** Options of {@link generate}. */
export interface GenerateOptions<S> extends SampleOptions {
  /** Decoder state before the first step. */
  initialState: S;
  /** Token fed at the first step. */
  startToken: number;
  /** Stop after producing this token (it is included). */
  endToken?: number;
  /** Maximum generated tokens. */
  maxLength: number;
  /** One step: last token and state in, logits `[V]` (tensor or numbers) and the next state out. */
  step(lastToken: number, state: S): { logits: Tensor | ArrayLike<number>; state: S };
  /** Called once for every state no longer needed (not for `initialState`). */
  disposeState?(state: S): void;
}

/**
 * Autoregressive sampling loop (one-to-many generation, language-model text): feeds each
 * sampled token back in. Sampling options as {@link sampleLogits}; with a seed the output is
 * reproducible.
 * @example
 * ```ts
 * const tokens = generate({ initialState: undefined, startToken: 0, maxLength: 100, temperature: 0.8, seed: 1,
 *   step: (tok, s) => lm.step(tok, s) });
 * ```
 */
export function generate<S>(options: GenerateOptions<S>): number[] {
  if (!(Number.isInteger(options.maxLength) && options.maxLength > 0)) {
    throw new ValueError(
      `generate: option 'maxLength' must be a positive integer, got ${options.maxLength}`,
    );
  }
  const rng = options.rng ?? new Random(options.seed ?? 0);
  const tokens: number[] = [];
  let state = options.initialState;
  let token = options.startToken;
  for (let t = 0; t < options.maxLength; t++) {
    const out = options.step(token, state);
    if (state !== options.initialState) options.disposeState?.(state);
    state = out.state;
    token = sampleLogits(out.logits, { ...options, rng });
    tokens.push(token);
    if (token === options.endToken) break;
  }
  if (state !== options.initialState) options.disposeState?.(state);
  return tokens;
}
