// Tokenizer, vocabulary and data loading: round trips, encodings, malformed input.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classNames, DEFAULT_DATA, decodeText, loadDataset, parseTsv } from '../src/data.js';
import { InputError } from '../src/errors.js';
import { tokenize } from '../src/tokenizer.js';
import { PAD, UNK, UNK_ID, Vocabulary } from '../src/vocab.js';

describe('tokenize', () => {
  it('splits words, clitics and punctuation, lower-cased', () => {
    expect(tokenize("It doesn't work, the film's 2nd half... well-made!")).toEqual([
      'it',
      'does',
      "n't",
      'work',
      ',',
      'the',
      'film',
      "'s",
      '2nd',
      'half',
      '.',
      '.',
      '.',
      'well-made',
      '!',
    ]);
  });
  it('reads MR the way it is tokenised (space-separated tokens stay as they are)', () => {
    const line = 'the rock is destined to be the 21st century\'s new " conan "';
    expect(tokenize(line)).toEqual(line.replace("century's", "century 's").split(' '));
  });
  it('gives no token for whitespace only', () => {
    expect(tokenize(' \t  ')).toEqual([]);
  });
});

describe('Vocabulary', () => {
  const sentences = [['a', 'b', 'a'], ['c', 'a', 'b'], ['d']];
  it('orders by count (ties in first-seen order) after the padding and unknown tokens', () => {
    expect(Vocabulary.build(sentences).tokens).toEqual([PAD, UNK, 'a', 'b', 'c', 'd']);
  });
  it('applies minCount and maxSize', () => {
    expect(Vocabulary.build(sentences, { minCount: 2 }).tokens).toEqual([PAD, UNK, 'a', 'b']);
    expect(Vocabulary.build(sentences, { maxSize: 3 }).tokens).toEqual([PAD, UNK, 'a']);
  });
  it('maps unknown words to the unknown id and round-trips through JSON', () => {
    const v = Vocabulary.build(sentences);
    const again = Vocabulary.fromJSON(JSON.parse(JSON.stringify(v.toJSON())));
    expect(again.tokens).toEqual(v.tokens);
    expect(again.encode(['a', 'zebra', 'd'])).toEqual([2, UNK_ID, 5]);
    expect(again.encode([PAD, UNK])).toEqual([UNK_ID, UNK_ID]); // their texts are not padding
    expect(v.encode(tokenize('A D'))).toEqual(again.encode(tokenize('a d')));
  });
  it('rejects bad options and bad JSON with the option named', () => {
    expect(() => Vocabulary.build(sentences, { minCount: 0 })).toThrow(/minCount/);
    expect(() => Vocabulary.build(sentences, { maxSize: 2 })).toThrow(/maxSize/);
    expect(() => Vocabulary.fromJSON({ tokens: ['x', 'y'] })).toThrow(InputError);
    expect(() => Vocabulary.fromJSON(null)).toThrow(/vocab\.json/);
  });
});

describe('data loading', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sentiment-data-'));
  it('reads the shipped Movie Review data: 5,331 sentences per class', () => {
    const d = loadDataset([DEFAULT_DATA]);
    expect(d.labels).toEqual(['neg', 'pos']);
    expect(d.y.filter((y) => y === 0)).toHaveLength(5331);
    expect(d.y.filter((y) => y === 1)).toHaveLength(5331);
  });
  it('decodes UTF-8, and Latin-1 when the bytes are not UTF-8', () => {
    const latin1 = Uint8Array.from([0x63, 0x61, 0x66, 0xe9]); // "café" in Latin-1
    expect(decodeText(latin1, 'auto', 'x')).toBe('café');
    expect(decodeText(new TextEncoder().encode('café'), 'auto', 'x')).toBe('café');
    expect(() => decodeText(latin1, 'utf8', 'file.txt')).toThrow(/file\.txt: not valid UTF-8/);
    const f = path.join(dir, 'latin.tsv');
    writeFileSync(
      f,
      Buffer.concat([Buffer.from('good\tun '), Buffer.from(latin1), Buffer.from('\nbad\tnon\n')]),
    );
    expect(loadDataset([f]).texts).toEqual(['un café', 'non']);
  });
  it('reads TSV with any label names, and names the line of a malformed row', () => {
    expect(parseTsv('joy\tgreat\n\nsad\tawful\n', 'f')).toEqual([
      { label: 'joy', text: 'great' },
      { label: 'sad', text: 'awful' },
    ]);
    expect(() => parseTsv('joy\tgreat\nno tab here\n', 'data.tsv')).toThrow(
      /data\.tsv:2: malformed row \(no tab\)/,
    );
    expect(() => parseTsv('joy\t \n', 'd')).toThrow(/d:1: malformed row \(an empty text\)/);
  });
  it('names classes of one-file-per-class data by what differs in the file names', () => {
    expect(classNames(['x/rt-polarity.neg', 'x/rt-polarity.pos'])).toEqual(['neg', 'pos']);
    expect(classNames(['positive.txt', 'negative.txt'])).toEqual(['positive', 'negative']);
    expect(classNames(['a.txt', 'a.csv'])).toEqual(['txt', 'csv']);
    expect(classNames(['x/a.txt', 'y/a.txt'])).toEqual(['a.txt', 'a.txt']);
  });
  it('refuses data of one class', () => {
    const f = path.join(dir, 'one.tsv');
    writeFileSync(f, 'pos\tfine\npos\tgood\n');
    expect(() => loadDataset([f])).toThrow(/at least two classes.*only class 'pos'/);
  });
  it('refuses a missing path', () => {
    expect(() => loadDataset([path.join(dir, 'nope')])).toThrow(/--data: .* does not exist/);
  });
});
