// The GloVe / word2vec text reader on files the test writes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Random } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { loadWordVectors } from '../src/embeddings.js';
import { Vocabulary } from '../src/vocab.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sentiment-vectors-'));
const vocab = Vocabulary.build([['good', 'bad', 'film', 'zork']]); // <pad> <unk> good bad film zork

function write(name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

describe('loadWordVectors', () => {
  it('reads GloVe lines into the vocabulary rows and counts the missing words', async () => {
    const f = write('glove.txt', 'good 0.5 1 -1\nthe 9 9 9\nbad -0.5 -1 1\nFilm 0.25 0.25 0.25\n');
    const t = await loadWordVectors(f, vocab, new Random(0));
    expect(t.dim).toBe(3);
    expect(t.found).toBe(3); // good, bad, and film through its capitalised form
    expect(t.missing).toBe(1); // zork
    const row = (id: number) => Array.from(t.weights.subarray(id * 3, id * 3 + 3));
    expect(row(vocab.id('good'))).toEqual([0.5, 1, -1]);
    expect(row(vocab.id('bad'))).toEqual([-0.5, -1, 1]);
    expect(row(vocab.id('film'))).toEqual([0.25, 0.25, 0.25]);
    expect(row(0)).toEqual([0, 0, 0]); // padding
    const zork = row(vocab.id('zork'));
    expect(zork.some((v) => v !== 0)).toBe(true);
    expect(zork.every((v) => Math.abs(v) <= 1)).toBe(true);
  });
  it('reads the word2vec text format (a count and dimension header)', async () => {
    const f = write('w2v.txt', '2 2\ngood 1 2\nbad 3 4\n');
    const t = await loadWordVectors(f, vocab, new Random(0));
    expect([t.dim, t.found, t.missing]).toEqual([2, 2, 2]);
    expect(Array.from(t.weights.subarray(vocab.id('bad') * 2, vocab.id('bad') * 2 + 2))).toEqual([
      3, 4,
    ]);
  });
  it('names the line of a row with too few values or a non-number', async () => {
    await expect(
      loadWordVectors(write('short.txt', 'good 1 2 3\nbad 1 2\n'), vocab, new Random(0)),
    ).rejects.toThrow(/short\.txt:2: expected a word and 3 numbers, got 2 values/);
    await expect(
      loadWordVectors(write('nan.txt', 'good 1 x 3\n'), vocab, new Random(0)),
    ).rejects.toThrow(/nan\.txt:1: value 2 of 'good' is 'x', not a number/);
  });
  it('refuses a missing or empty file', async () => {
    await expect(loadWordVectors(path.join(dir, 'none.txt'), vocab, new Random(0))).rejects.toThrow(
      /--embeddings: cannot read/,
    );
    await expect(loadWordVectors(write('empty.txt', '\n'), vocab, new Random(0))).rejects.toThrow(
      /holds no vectors/,
    );
  });
});
