/**
 * Checking a text corpus, its character vocabulary, and the 90 % / 10 % split. Browser-safe
 * (reading a file is in `corpus_file.ts`).
 */
import { CliError } from './errors.js';

/** A character vocabulary: code points sorted, each with its id. */
export interface Vocabulary {
  chars: string[];
  ids: Map<string, number>;
}

/** The vocabulary of `chars` (distinct characters, in code point order). */
export function makeVocabulary(chars: readonly string[]): Vocabulary {
  return { chars: [...chars], ids: new Map(chars.map((c, i) => [c, i])) };
}

/** The sorted distinct characters (code points, not UTF-16 units) of `text`. */
export function distinctChars(text: string): string[] {
  return [...new Set(Array.from(text))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
}

/** Shows a character readably in a message (`'a'`, `'\n'`, `U+0007`). */
export function showChar(c: string): string {
  const code = c.codePointAt(0)!;
  if (c === '\n') return "'\\n'";
  if (c === '\t') return "'\\t'";
  return code < 32 || code === 127
    ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
    : JSON.stringify(c);
}

/** Ids of every character of `text`; a character outside the vocabulary is an error naming it and `what`. */
export function encode(text: string, vocab: Vocabulary, what: string): Int32Array {
  const chars = Array.from(text);
  const out = new Int32Array(chars.length);
  const unknown = new Set<string>();
  chars.forEach((c, i) => {
    const id = vocab.ids.get(c);
    if (id === undefined) unknown.add(c);
    else out[i] = id;
  });
  if (unknown.size > 0) {
    const list = [...unknown].slice(0, 10).map(showChar).join(', ');
    throw new CliError(
      `${what} holds ${unknown.size} character${unknown.size > 1 ? 's' : ''} the model never saw: ${list}${unknown.size > 10 ? ', …' : ''}`,
    );
  }
  return out;
}

/**
 * The text of a corpus's bytes, from `source` (a file name, "the pasted text") for `flag`.
 * Refuses, naming both: an empty text, a binary one (NUL bytes or invalid UTF-8) and one with
 * fewer than two distinct characters.
 */
export function decodeCorpus(bytes: Uint8Array, flag: string, source: string): string {
  if (bytes.length === 0)
    throw new CliError(`${flag}: '${source}' is empty; give a UTF-8 text file`);
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    throw new CliError(
      `${flag}: '${source}' is a binary file (a NUL byte at offset ${nul}); give a UTF-8 text file`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(
      `${flag}: '${source}' is not valid UTF-8 text (a binary file?); give a UTF-8 text file`,
    );
  }
  const chars = distinctChars(text);
  if (chars.length < 2)
    throw new CliError(
      `${flag}: '${source}' holds ${chars.length === 0 ? 'no character' : `a single distinct character (${showChar(chars[0])})`}; a language model needs at least 2`,
    );
  return text;
}

/** The first 90 % of `ids` for training and the last 10 % for validation. */
export function splitCorpus(ids: Int32Array): { train: Int32Array; valid: Int32Array } {
  const cut = Math.floor(ids.length * 0.9);
  return { train: ids.subarray(0, cut), valid: ids.subarray(cut) };
}
