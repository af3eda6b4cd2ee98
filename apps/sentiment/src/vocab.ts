// The vocabulary: token ↔ id, with padding (id 0) and unknown (id 1) tokens, built by count.
import { InputError } from './errors.js';

/** Id of the padding token. */
export const PAD_ID = 0;
/** Id of the unknown-word token. */
export const UNK_ID = 1;
/** The padding token's text. */
export const PAD = '<pad>';
/** The unknown token's text. */
export const UNK = '<unk>';

/** Options of {@link Vocabulary.build}. */
export interface VocabularyOptions {
  /** Keep tokens seen at least this often (default 1). */
  minCount?: number;
  /** Keep at most this many tokens, most frequent first, padding and unknown included (default unlimited). */
  maxSize?: number;
}

/** The JSON form saved with a model. */
export interface VocabularyJson {
  /** Tokens by id; `tokens[0]` is the padding token, `tokens[1]` the unknown one. */
  tokens: string[];
}

/** Token ↔ id mapping with reserved padding and unknown ids. */
export class Vocabulary {
  /** Tokens by id. */
  readonly tokens: readonly string[];
  private readonly ids: Map<string, number>;

  constructor(tokens: readonly string[]) {
    if (tokens[PAD_ID] !== PAD || tokens[UNK_ID] !== UNK)
      throw new InputError(
        `Vocabulary: tokens[0] must be '${PAD}' and tokens[1] '${UNK}', got '${tokens[0]}' and '${tokens[1]}'`,
      );
    this.tokens = [...tokens];
    this.ids = new Map(this.tokens.map((t, i) => [t, i]));
    if (this.ids.size !== this.tokens.length)
      throw new InputError('Vocabulary: the token list holds duplicates');
  }

  /**
   * A vocabulary of the tokens of `sentences` seen at least `minCount` times, most frequent
   * first (ties in first-seen order, so the result does not depend on the platform), cut to
   * `maxSize` entries.
   */
  static build(
    sentences: Iterable<readonly string[]>,
    options: VocabularyOptions = {},
  ): Vocabulary {
    const minCount = options.minCount ?? 1;
    const maxSize = options.maxSize ?? Number.POSITIVE_INFINITY;
    if (!(Number.isInteger(minCount) && minCount >= 1))
      throw new InputError(`Vocabulary: option 'minCount' must be an integer ≥ 1, got ${minCount}`);
    if (!(maxSize === Number.POSITIVE_INFINITY || (Number.isInteger(maxSize) && maxSize >= 3)))
      throw new InputError(`Vocabulary: option 'maxSize' must be an integer ≥ 3, got ${maxSize}`);
    const counts = new Map<string, number>();
    for (const s of sentences) for (const t of s) counts.set(t, (counts.get(t) ?? 0) + 1);
    counts.delete(PAD);
    counts.delete(UNK);
    const order = [...counts.entries()]
      .map(([t, c], i) => ({ t, c, i }))
      .filter((e) => e.c >= minCount)
      .sort((a, b) => b.c - a.c || a.i - b.i)
      .slice(0, maxSize - 2)
      .map((e) => e.t);
    return new Vocabulary([PAD, UNK, ...order]);
  }

  /** Restores a vocabulary saved by {@link Vocabulary.toJSON}. */
  static fromJSON(json: unknown): Vocabulary {
    const tokens = (json as VocabularyJson | null)?.tokens;
    if (!Array.isArray(tokens) || tokens.some((t) => typeof t !== 'string'))
      throw new InputError("Vocabulary: expected {tokens: string[]} (a model's vocab.json)");
    return new Vocabulary(tokens);
  }

  /** Number of ids, padding and unknown included. */
  get size(): number {
    return this.tokens.length;
  }

  /** The id of `token`, or {@link UNK_ID} (also for the text '<pad>', which is not padding). */
  id(token: string): number {
    const id = this.ids.get(token);
    return id === undefined || id === PAD_ID ? UNK_ID : id;
  }

  /** Whether `token` has its own id. */
  has(token: string): boolean {
    return this.ids.has(token) && token !== PAD && token !== UNK;
  }

  /** Ids of `tokens`. */
  encode(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.id(t));
  }

  /** The JSON form. */
  toJSON(): VocabularyJson {
    return { tokens: [...this.tokens] };
  }
}
