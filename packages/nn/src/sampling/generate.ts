/** `generate`: autoregressive generation (sampling or beam search) from a model or a step function. */
import { Random, ValueError } from '@rnnkit/core';
import { beamDecode } from './beam_decode.js';
import {
  type Decoder,
  ModelDecoder,
  StepDecoder,
  type StepLogits,
  type TokenModel,
} from './decoder.js';
import { type SampleOptions, sampleLogits } from './sample.js';

/** Options of {@link generate}. Give `model` or `step`, and `prompt` or `startToken`. */
export interface GenerateOptions<S = undefined> extends SampleOptions {
  /**
   * A language model over token ids (`[B, T]` int32 in, logits `[B, T, V]` or `[B, V]` out),
   * e.g. a `Sequential` of `Embedding`, recurrent layers and a `Dense` head. A stateful model
   * (recurrent layers with `stateful: true`) is fed the prompt once and then one token per
   * step, its layers carrying the state (reset first unless `resetStates: false`); any other
   * model re-reads each sequence whole at every step.
   */
  model?: TokenModel;
  /**
   * One decoder step for every row at once: the last token of each row and the state in;
   * logits (`[B, V]`, `[V]` when B = 1, `[B, T, V]` whose last step is used, or rows) and the
   * next state out. Runs inside `tidy`: its intermediates are freed, the logits are read and
   * freed, and the tensors of a state no longer used are freed (never those of `initialState`).
   */
  step?(tokens: number[], state: S): { logits: StepLogits; state: S };
  /** The state before the first step (step functions only; e.g. an encoder's `{h, c}`). */
  initialState?: S;
  /**
   * Token ids fed before generation starts: one prompt (`number[]`, the result is `number[]`)
   * or one per row of a batch (`number[][]`, all the same length; the result is `number[][]`).
   */
  prompt?: readonly number[] | readonly (readonly number[])[];
  /** Shorthand for a one-token prompt `[startToken]` (e.g. a decoder's start-of-sequence id). */
  startToken?: number;
  /** Maximum generated tokens per row. */
  maxLength: number;
  /** A row stops after producing this token (which is included). */
  endToken?: number;
  /**
   * Beam search with this many beams per row instead of sampling (the best hypothesis is
   * returned; `beamWidth: 1` is greedy). Temperature, top-k and top-p do not apply.
   */
  beamWidth?: number;
  /** Beam ranking by `logProb / length^lengthPenalty` (default 0: raw log-probability). */
  lengthPenalty?: number;
  /**
   * Reorders a step function's state for beam search: row i of the result continues row
   * `rows[i]`. Default: gathers `{h, c}` states (`[L·D, B, H]` stacks) along axis 1, also
   * inside arrays and plain objects.
   */
  selectState?(state: S, rows: number[]): S;
  /** Frees a state no longer needed (replaces the automatic disposal of its tensors). */
  disposeState?(state: S): void;
  /** Reset a stateful `model` before the prompt (default true). */
  resetStates?: boolean;
}

/**
 * Autoregressive generation: feeds the prompt, then samples (greedy, temperature, top-k,
 * top-p; seeded) or beam-searches one token per step and feeds it back, for one sequence or a
 * batch, until `maxLength` tokens or `endToken`. Every step runs in a scope and what it returns
 * is freed once used, so live tensors stay flat however long the generation.
 * @returns the generated tokens (without the prompt): `number[]` for one prompt, `number[][]`
 * for a batch of prompts.
 * @example
 * ```ts
 * // A (here untrained) character model: a stateful LSTM carries its state from step to step.
 * const V = 6;
 * const embed = new Embedding({ numEmbeddings: V, embeddingDim: 4, seed: 0 });
 * const head = new Dense({ inputSize: 8, units: V, seed: 0 });
 * const lm = new Sequential([embed, new LSTM({ inputSize: 4, hiddenSize: 8, stateful: true, seed: 0 }), head]);
 * const before = memory().numTensors;
 * const text = generate({ model: lm, prompt: [1, 2, 3], maxLength: 1000, temperature: 0.8, topK: 3, seed: 1 });
 * check(text.length, 1000);
 * const rows = generate({ model: lm, prompt: [[1], [4]], maxLength: 5, greedy: true }); // a batch
 * check(rows.map((r) => r.length), [5, 5]);
 * lm.resetStates(); // the stateful LSTM held its last states
 * check(memory().numTensors, before); // nothing else stayed alive
 * // Beam search re-reads the sequences of a model without state
 * const plain = new Sequential([embed, new LSTM({ inputSize: 4, hiddenSize: 8, seed: 0 }), head]);
 * check(generate({ model: plain, prompt: [1], maxLength: 5, beamWidth: 3 }).length, 5);
 * ```
 */
export function generate<S = undefined>(
  options: GenerateOptions<S> & { prompt: readonly (readonly number[])[] },
): number[][];
export function generate<S = undefined>(options: GenerateOptions<S>): number[];
export function generate<S = undefined>(options: GenerateOptions<S>): number[] | number[][] {
  const owner = 'generate';
  if (options === null || typeof options !== 'object')
    throw new ValueError(`${owner}: options must be an object`);
  const { maxLength } = options;
  if (!(Number.isInteger(maxLength) && maxLength > 0))
    throw new ValueError(
      `${owner}: option 'maxLength' must be a positive integer, got ${maxLength}`,
    );
  const { prompts, batched } = readPrompts(owner, options);
  const decoder = makeDecoder(owner, options);
  try {
    const first = decoder.prime(prompts);
    const out =
      options.beamWidth !== undefined
        ? beamTokens(owner, decoder, first, options)
        : sampleTokens(decoder, first, options);
    return batched ? out : out[0];
  } finally {
    decoder.dispose();
  }
}

function readPrompts<S>(
  owner: string,
  options: GenerateOptions<S>,
): { prompts: number[][]; batched: boolean } {
  const { prompt, startToken } = options;
  if (prompt !== undefined && startToken !== undefined)
    throw new ValueError(`${owner}: give option 'prompt' or 'startToken', not both`);
  if (prompt === undefined && startToken === undefined)
    throw new ValueError(`${owner}: give option 'prompt' (token ids) or 'startToken'`);
  const raw = prompt ?? [startToken as number];
  if (!Array.isArray(raw) || raw.length === 0)
    throw new ValueError(`${owner}: option 'prompt' must be a non-empty array of token ids`);
  const batched = Array.isArray(raw[0]);
  const prompts = (
    batched ? (raw as readonly (readonly number[])[]) : [raw as readonly number[]]
  ).map((row, b) => {
    if (!Array.isArray(row))
      throw new ValueError(`${owner}: prompt[${b}] must be an array of token ids`);
    row.forEach((t, i) => {
      if (!(Number.isInteger(t) && t >= 0))
        throw new ValueError(
          `${owner}: ${batched ? `prompt[${b}][${i}]` : `prompt[${i}]`} must be a non-negative integer token id, got ${String(t)}`,
        );
    });
    return [...row];
  });
  const T = prompts[0].length;
  prompts.forEach((row, b) => {
    if (row.length !== T || T === 0)
      throw new ValueError(
        `${owner}: every prompt needs the same, non-zero length; prompt[0] has ${T} tokens and prompt[${b}] has ${row.length}`,
      );
  });
  return { prompts, batched };
}

function makeDecoder<S>(owner: string, options: GenerateOptions<S>): Decoder {
  const { model, step } = options;
  if ((model === undefined) === (step === undefined))
    throw new ValueError(`${owner}: give exactly one of options 'model' and 'step'`);
  if (model !== undefined) {
    if (model === null || typeof model.apply !== 'function')
      throw new ValueError(`${owner}: option 'model' must have an apply(tokens) method`);
    if (options.initialState !== undefined)
      throw new ValueError(
        `${owner}: option 'initialState' is for step functions; a stateful model carries its own state`,
      );
    const decoder = new ModelDecoder(owner, model, options.resetStates ?? true);
    if (options.beamWidth !== undefined && !decoder.canSelect)
      throw new ValueError(
        `${owner}: beam search cannot reorder the states a stateful model holds; use a model without stateful layers (it re-reads each sequence) or a step function`,
      );
    return decoder;
  }
  if (typeof step !== 'function')
    throw new ValueError(`${owner}: option 'step' must be a function`);
  return new StepDecoder<S>({
    owner,
    step,
    initialState: options.initialState as S,
    selectState: options.selectState,
    disposeState: options.disposeState,
  });
}

function sampleTokens<S>(
  decoder: Decoder,
  first: Float64Array[],
  options: GenerateOptions<S>,
): number[][] {
  const rng = options.rng ?? new Random(options.seed ?? 0);
  const sampling = { ...options, rng };
  const out: number[][] = first.map(() => []);
  const done = first.map(() => false);
  let rows = first;
  for (let t = 0; t < options.maxLength; t++) {
    const tokens = rows.map((row, b) => {
      if (done[b]) return options.endToken ?? 0;
      const token = sampleLogits(row, sampling);
      out[b].push(token);
      if (token === options.endToken) done[b] = true;
      return token;
    });
    if (done.every(Boolean) || t === options.maxLength - 1) break;
    rows = decoder.next(tokens);
  }
  return out;
}

function beamTokens<S>(
  owner: string,
  decoder: Decoder,
  first: Float64Array[],
  options: GenerateOptions<S>,
): number[][] {
  const width = options.beamWidth;
  if (!(Number.isInteger(width) && (width as number) > 0))
    throw new ValueError(`${owner}: option 'beamWidth' must be a positive integer, got ${width}`);
  const hypotheses = beamDecode(decoder, first, {
    beamWidth: width as number,
    maxLength: options.maxLength,
    endToken: options.endToken,
    lengthPenalty: options.lengthPenalty ?? 0,
  });
  return hypotheses.map((h) => h[0]?.tokens ?? []);
}
