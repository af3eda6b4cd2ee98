// Splits text into lower-cased word tokens the way the sentence-classification literature does.

/** Options of {@link tokenize}. */
export interface TokenizerConfig {
  /** Lower-case the text first (default true). */
  lowercase: boolean;
}

/** The default tokenizer settings, saved with every model. */
export const DEFAULT_TOKENIZER: TokenizerConfig = { lowercase: true };

// Words (letters/digits, with inner hyphens or dots as in "well-made", "u.s."), English clitics
// ('s, n't, 're, 've, 'd, 'll, 'm) as their own tokens, and each other symbol alone.
const TOKEN =
  /n't\b|'(?:s|re|ve|d|ll|m)\b|[\p{L}\p{N}]+(?:[-.'][\p{L}\p{N}]+)*(?=n't\b)|[\p{L}\p{N}]+(?:[-.'][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

/**
 * Tokens of `text`: words, clitics split off (`doesn't` → `does n't`, `film's` → `film 's`),
 * punctuation as separate tokens. Whitespace of any kind separates; nothing else is dropped.
 */
export function tokenize(text: string, config: TokenizerConfig = DEFAULT_TOKENIZER): string[] {
  const s = (config.lowercase ? text.toLowerCase() : text).normalize('NFC');
  const out: string[] = [];
  for (const m of s.matchAll(TOKEN)) {
    const tok = m[0];
    // a word followed by a clitic: "film's" matched as one word, split it here
    const clitic = /^(.+?)('(?:s|re|ve|d|ll|m))$/u.exec(tok);
    if (clitic) out.push(clitic[1], clitic[2]);
    else out.push(tok);
  }
  return out;
}
