// Reads word vectors in the GloVe / word2vec text format into a vocabulary's embedding table.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Random } from '@rnnkit/core';
import { InputError } from './errors.js';
import { PAD_ID, type Vocabulary } from './vocab.js';

/** An embedding table for a vocabulary, filled from a word-vector file. */
export interface PretrainedTable {
  /** Vector size. */
  dim: number;
  /** Row-major `[vocab.size, dim]` values. */
  weights: Float32Array;
  /** Vocabulary words found in the file. */
  found: number;
  /** Vocabulary words missing from it (initialised randomly), padding and unknown excluded. */
  missing: number;
}

/**
 * Loads vectors for `vocab`'s words from `file`, a text file of `word v1 … vd` lines (GloVe),
 * optionally headed by a `count dim` line (word2vec's text format). Only the vocabulary's words
 * are kept, so files of any size stream through. A word found under another case is used when
 * its own form is absent. Missing words get uniform values in ±`scale`, with `scale` the
 * standard deviation of the loaded values (so they look like the rest); the padding row is zero.
 * A line with the wrong number of values or a non-number is an {@link InputError} with its line number.
 */
export async function loadWordVectors(
  file: string,
  vocab: Vocabulary,
  rng: Random,
): Promise<PretrainedTable> {
  let stream: ReturnType<typeof createReadStream>;
  try {
    stream = createReadStream(file, { encoding: 'utf8' });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
  } catch (e) {
    throw new InputError(`--embeddings: cannot read '${file}': ${(e as Error).message}`);
  }
  let dim = 0;
  let weights = new Float32Array(0);
  const exact = new Set<number>();
  const byCase = new Set<number>();
  let lineNo = 0;
  for await (const raw of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNo++;
    const line = raw.trimEnd();
    if (line === '') continue;
    const fields = line.split(' ');
    if (dim === 0) {
      if (
        lineNo === 1 &&
        fields.length === 2 &&
        /^\d+$/.test(fields[0]) &&
        /^\d+$/.test(fields[1])
      ) {
        dim = Number(fields[1]);
        if (dim < 1) throw new InputError(`${file}:1: the word2vec header gives dimension ${dim}`);
        weights = new Float32Array(vocab.size * dim);
        continue;
      }
      dim = fields.length - 1;
      if (dim < 1)
        throw new InputError(
          `${file}:${lineNo}: expected 'word v1 … vd', got '${line.slice(0, 60)}'`,
        );
      weights = new Float32Array(vocab.size * dim);
    }
    if (fields.length < dim + 1) {
      throw new InputError(
        `${file}:${lineNo}: expected a word and ${dim} numbers, got ${fields.length - 1} values`,
      );
    }
    // words may hold spaces (some GloVe releases): the last `dim` fields are the vector
    const word = fields.slice(0, fields.length - dim).join(' ');
    let id = vocab.has(word) ? vocab.id(word) : -1;
    let caseOnly = false;
    if (id < 0) {
      const lower = word.toLowerCase();
      if (lower !== word && vocab.has(lower)) {
        id = vocab.id(lower);
        caseOnly = true;
      }
    }
    if (id < 0 || exact.has(id) || (caseOnly && byCase.has(id))) continue;
    const base = id * dim;
    for (let j = 0; j < dim; j++) {
      const v = Number(fields[fields.length - dim + j]);
      if (!Number.isFinite(v))
        throw new InputError(
          `${file}:${lineNo}: value ${j + 1} of '${word}' is '${fields[fields.length - dim + j]}', not a number`,
        );
      weights[base + j] = v;
    }
    (caseOnly ? byCase : exact).add(id);
  }
  if (dim === 0) throw new InputError(`--embeddings: '${file}' holds no vectors`);
  const foundIds = new Set([...exact, ...byCase]);
  let sum = 0;
  let sq = 0;
  for (const id of foundIds)
    for (let j = 0; j < dim; j++) {
      const v = weights[id * dim + j];
      sum += v;
      sq += v * v;
    }
  const n = foundIds.size * dim;
  const scale = n > 1 ? Math.sqrt(Math.max(sq / n - (sum / n) ** 2, 1e-8)) : 0.1;
  let missing = 0;
  for (let id = 0; id < vocab.size; id++) {
    if (id === PAD_ID || foundIds.has(id)) continue;
    if (vocab.has(vocab.tokens[id])) missing++;
    for (let j = 0; j < dim; j++) weights[id * dim + j] = (rng.next() * 2 - 1) * scale;
  }
  return { dim, weights, found: foundIds.size, missing };
}
