/** Generating text from a model: priming, then sampling (streamed) or beam search, one character at a time. */
import { concat, dispose, reshape, slice, type Tensor, tensor, tidy } from '@rnnkit/core';
import { beamSearch, generate, type RecurrentState } from '@rnnkit/nn';
import { encode, type Vocabulary } from './corpus.js';
import { type CharModel, runModel } from './model.js';

/** How to sample. */
export interface SampleSettings {
  /** Text the generated characters continue (at least one character, all in the vocabulary). */
  prime: string;
  /** Characters to generate. */
  length: number;
  /** Softmax temperature; 0 takes the most likely character. */
  temperature: number;
  /** Keep only the K most likely characters. */
  topK?: number;
  /** Keep the smallest set of most likely characters whose probability reaches P. */
  topP?: number;
  /** Beam search with this many beams instead of sampling (deterministic). */
  beam?: number;
  /** Seed of the sampler. */
  seed: number;
}

/** The default prime: a newline (the start of a line) when the vocabulary has one. */
export function defaultPrime(vocab: Vocabulary): string {
  return vocab.ids.has('\n') ? '\n' : vocab.chars[0];
}

/**
 * Generates `settings.length` characters after `settings.prime`, calling `write` with each one
 * as soon as it is drawn (beam search writes its best hypothesis at the end). Returns them.
 */
export function sampleText(
  model: CharModel,
  vocab: Vocabulary,
  settings: SampleSettings,
  write: (chunk: string) => void = () => {},
): string {
  const ids = encode(settings.prime, vocab, '--prime');
  const primed = prime(model, ids);
  const startToken = ids[ids.length - 1];
  const step = (tokens: number[], state: RecurrentState | undefined) =>
    tidy(() => {
      const out = runModel(model, tensor(tokens, [tokens.length, 1], 'int32'), state, false);
      return { logits: reshape(out.logits, [tokens.length, vocab.chars.length]), state: out.state };
    });
  try {
    if (settings.beam !== undefined) {
      const [best] = beamSearch<RecurrentState | undefined>({
        initialState: primed,
        startToken,
        beamWidth: settings.beam,
        maxLength: settings.length,
        step: (tokens, states) => {
          const merged =
            states[0] === undefined
              ? undefined
              : tidy(() => mergeStates(states as RecurrentState[]));
          const out = step(tokens, merged);
          if (merged) dispose(merged);
          const split = tokens.map((_, i) => tidy(() => rowOf(out.state, i)));
          dispose(out.state);
          const V = vocab.chars.length;
          const data = out.logits.dataSync();
          out.logits.dispose();
          return { logits: tokens.map((_, i) => data.subarray(i * V, (i + 1) * V)), states: split };
        },
        disposeState: (s) => dispose(s),
      });
      const text = best.tokens.map((t) => vocab.chars[t]).join('');
      write(text);
      return text;
    }
    let calls = 0;
    const tokens = generate<RecurrentState | undefined>({
      initialState: primed,
      startToken,
      maxLength: settings.length,
      temperature: settings.temperature,
      topK: settings.topK,
      topP: settings.topP,
      seed: settings.seed,
      step: (token, state) => {
        // from the second call on, `token` is the character drawn last: stream it now
        if (calls++ > 0) write(vocab.chars[token]);
        const out = step([token], state);
        const logits = out.logits.dataSync();
        out.logits.dispose();
        return { logits, state: out.state };
      },
      disposeState: (s) => dispose(s),
    });
    write(vocab.chars[tokens[tokens.length - 1]]);
    return tokens.map((t) => vocab.chars[t]).join('');
  } finally {
    if (primed) dispose(primed);
  }
}

/** The state after reading every prime character but the last (undefined for a one-character prime). */
function prime(model: CharModel, ids: Int32Array): RecurrentState | undefined {
  if (ids.length < 2) return undefined;
  return tidy(
    () =>
      runModel(
        model,
        tensor(ids.subarray(0, ids.length - 1), [1, ids.length - 1], 'int32'),
        undefined,
        false,
      ).state,
  );
}

/** Beam states `[layers, 1, H]` side by side: `[layers, beams, H]`. */
function mergeStates(states: RecurrentState[]): RecurrentState {
  const h = concat(
    states.map((s) => s.h),
    1,
  );
  return states[0].c
    ? {
        h,
        c: concat(
          states.map((s) => s.c as Tensor),
          1,
        ),
      }
    : { h };
}

/** Row `i` of a batched state. */
function rowOf(state: RecurrentState, i: number): RecurrentState {
  const pick = (t: Tensor) => slice(t, [0, i, 0], [t.shape[0], 1, t.shape[2]]);
  return state.c ? { h: pick(state.h), c: pick(state.c) } : { h: pick(state.h) };
}
