// Reading text with a trained model: class probabilities, and each word's contribution.
import { softmax, type Tensor, tidy } from '@rnnkit/core';
import { makeBatch } from './batch.js';
import { InputError } from './errors.js';
import type { SavedModel } from './saved_model.js';
import { tokenize } from './tokenizer.js';
import { UNK_ID } from './vocab.js';

/** The most words `--explain` reads (it runs the model once per word). */
export const MAX_EXPLAIN_WORDS = 500;

/** A prediction for one text. */
export interface Prediction {
  /** The input text. */
  text: string;
  /** The predicted label. */
  label: string;
  /** Probability per label, in the model's label order. */
  probabilities: Record<string, number>;
  /** The tokens the model read. */
  tokens: string[];
  /** How many of them the vocabulary does not know. */
  unknown: number;
}

/** One word's effect on the prediction. */
export interface Contribution {
  /** The token. */
  token: string;
  /** Whether the vocabulary knows it. */
  known: boolean;
  /** P(predicted label) with the sentence minus P(predicted label) without this word. */
  contribution: number;
}

/** Probabilities `[N][classes]` of token-id sentences, computed in batches of similar length. */
export function probabilities(saved: SavedModel, ids: readonly (readonly number[])[]): number[][] {
  const out: number[][] = new Array(ids.length);
  const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length || a - b);
  const C = saved.meta.labels.length;
  // batches of at most ~20k tokens keep memory flat for long lines
  for (let i = 0; i < order.length; ) {
    let j = i + 1;
    while (j < order.length && j - i < 256 && (j - i + 1) * ids[order[j]].length <= 20000) j++;
    const rows = order.slice(i, j);
    const batch = makeBatch(ids, rows);
    try {
      const p = tidy(() => softmax(saved.model.apply(batch.tokens) as Tensor));
      const data = p.dataSync();
      rows.forEach((r, b) => {
        out[r] = Array.from(data.subarray(b * C, (b + 1) * C));
      });
      p.dispose();
    } finally {
      batch.tokens.dispose();
    }
    i = j;
  }
  return out;
}

/** Tokens and ids of `text`; an empty text is an {@link InputError} naming `where`. */
export function encodeText(
  saved: SavedModel,
  text: string,
  where: string,
): { tokens: string[]; ids: number[] } {
  const tokens = tokenize(text, saved.meta.tokenizer);
  if (tokens.length === 0)
    throw new InputError(`${where}: the text is empty; give a sentence with at least one word`);
  return { tokens, ids: saved.vocab.encode(tokens) };
}

/** Predictions for `texts` (each non-empty; see {@link encodeText}). */
export function predictTexts(
  saved: SavedModel,
  texts: readonly string[],
  where: (i: number) => string,
): Prediction[] {
  const enc = texts.map((t, i) => encodeText(saved, t, where(i)));
  const probs = probabilities(
    saved,
    enc.map((e) => e.ids),
  );
  return texts.map((text, i) => {
    const p = probs[i];
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    return {
      text,
      label: saved.meta.labels[best],
      probabilities: Object.fromEntries(saved.meta.labels.map((l, c) => [l, p[c]])),
      tokens: enc[i].tokens,
      unknown: enc[i].ids.filter((id) => id === UNK_ID).length,
    };
  });
}

/**
 * Each word's contribution to `prediction`: the drop in the predicted label's probability when
 * that word is left out of the sentence (positive: the word supports the label). A one-word
 * sentence has nothing to compare with, so its word gets `P(label) − 1/classes`.
 */
export function explain(saved: SavedModel, prediction: Prediction): Contribution[] {
  const { tokens } = prediction;
  if (tokens.length > MAX_EXPLAIN_WORDS)
    throw new InputError(
      `--explain: the text has ${tokens.length} words; explaining runs the model once per word, so it reads at most ${MAX_EXPLAIN_WORDS}`,
    );
  const ids = saved.vocab.encode(tokens);
  const c = saved.meta.labels.indexOf(prediction.label);
  const full = prediction.probabilities[prediction.label];
  const without = tokens.map((_, i) => ids.filter((_, j) => j !== i));
  const probs =
    tokens.length > 1 ? probabilities(saved, without) : [[1 / saved.meta.labels.length]];
  return tokens.map((token, i) => ({
    token,
    known: ids[i] !== UNK_ID,
    contribution: full - (tokens.length > 1 ? probs[i][c] : probs[0][0]),
  }));
}

/**
 * The sentence with each word coloured by its contribution on an ANSI terminal: green for
 * words supporting the predicted label, red for words against it, brighter for larger effects.
 */
export function colourExplanation(contributions: readonly Contribution[]): string {
  const scale = Math.max(1e-6, ...contributions.map((c) => Math.abs(c.contribution)));
  return contributions
    .map(({ token, contribution }) => {
      const strength = Math.abs(contribution) / scale;
      if (strength < 0.1) return token;
      const level = Math.min(5, Math.max(1, Math.round(strength * 5)));
      // 256-colour ramps: greens 22…46, reds 52…196
      const colour =
        contribution > 0 ? [22, 28, 34, 40, 46][level - 1] : [52, 88, 124, 160, 196][level - 1];
      return `\x1b[38;5;${colour}m${token}\x1b[0m`;
    })
    .join(' ');
}
