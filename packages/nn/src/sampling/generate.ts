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
 * // A tiny (untrained) language model over 5 tokens, stepped one token at a time
 * const V = 5;
 * const embed = new Embedding({ numEmbeddings: V, embeddingDim: 4, seed: 0 });
 * const lstm = new LSTM({ inputSize: 4, hiddenSize: 8, seed: 0 });
 * const head = new Dense({ inputSize: 8, units: V, seed: 0 });
 * const tokens = generate<RecurrentState | undefined>({
 *   initialState: undefined,
 *   startToken: 0,
 *   maxLength: 10,
 *   temperature: 0.8,
 *   seed: 1,
 *   step: (token, state) => {
 *     const x = embed.apply(tensor([[token]], [1, 1], 'int32')); // [1, 1, 4]
 *     const { output, hN, cN } = lstm.forward(x, { initialState: state });
 *     return { logits: reshape(head.apply(output), [V]), state: { h: hN, c: cN } };
 *   },
 *   disposeState: (state) => dispose(state),
 * });
 * check(tokens.length, 10);
 * check(tokens.every((t) => t >= 0 && t < V), true);
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
