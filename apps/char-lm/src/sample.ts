/** Generating text from a model: priming, then sampling (streamed) or beam search, one character at a time. */
import { dispose, tensor, tidy } from '@rnnkit/core';
import { generate, type RecurrentState } from '@rnnkit/nn';
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
  /** What an error about the prime calls it (default `--prime`; a page names its text box). */
  primeLabel?: string;
}

/** The default prime: a newline (the start of a line) when the vocabulary has one. */
export function defaultPrime(vocab: Vocabulary): string {
  return vocab.ids.has('\n') ? '\n' : vocab.chars[0];
}

/**
 * Generates `settings.length` characters after `settings.prime` with the library's `generate`,
 * calling `write` with each one as soon as it is drawn (beam search writes its best hypothesis at
 * the end). Returns them.
 */
export function sampleText(
  model: CharModel,
  vocab: Vocabulary,
  settings: SampleSettings,
  write: (chunk: string) => void = () => {},
): string {
  const ids = encode(settings.prime, vocab, settings.primeLabel ?? '--prime');
  const primed = prime(model, ids);
  const beam = settings.beam !== undefined;
  let calls = 0;
  try {
    const tokens = generate<RecurrentState | undefined>({
      initialState: primed,
      prompt: [ids[ids.length - 1]],
      maxLength: settings.length,
      ...(beam
        ? { beamWidth: settings.beam }
        : { temperature: settings.temperature, topK: settings.topK, topP: settings.topP }),
      seed: settings.seed,
      step: (fed, state) => {
        // after the prompt's one call, each call feeds back the character drawn last: show it now
        if (!beam && calls++ > 0) write(vocab.chars[fed[0]]);
        const out = runModel(model, tensor(fed, [fed.length, 1], 'int32'), state, false);
        return { logits: out.logits, state: out.state };
      },
    });
    const text = tokens.map((t) => vocab.chars[t]).join('');
    // beam search knows its best hypothesis only at the end; sampling has one character left
    write(beam ? text : text.slice(-1));
    return text;
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
