// The command line on good and bad input: every failure is one clear message, never a crash.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/main.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sentiment-cli-'));
const model = path.join(dir, 'model');
const tsv = path.join(dir, 'train.tsv');
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli.ts');

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

beforeAll(async () => {
  const rows: string[] = [];
  for (let i = 0; i < 60; i++) {
    rows.push(`good\ta truly wonderful film number ${i % 7}`);
    rows.push(`bad\ta dull and awful film number ${i % 5}`);
  }
  writeFileSync(tsv, `${rows.join('\n')}\n`);
  const r = await run(
    'train',
    '--data',
    tsv,
    '--backend',
    'cpu',
    '--epochs',
    '2',
    '--embed',
    '8',
    '--hidden',
    '8',
    '--out',
    model,
    '-q',
  );
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
});

describe('rnnkit-sentiment', () => {
  it('prints help', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/usage:[\s\S]*predict --model DIR/);
  });
  it('trains into a directory with the model, vocabulary, metadata and curves', () => {
    for (const f of ['model.rnnkit', 'vocab.json', 'sentiment.json', 'training.svg'])
      expect(existsSync(path.join(model, f))).toBe(true);
    const meta = JSON.parse(readFileSync(path.join(model, 'sentiment.json'), 'utf8'));
    expect(meta.labels).toEqual(['bad', 'good']);
    expect(readFileSync(path.join(model, 'training.svg'), 'utf8')).toMatch(/^<svg[\s\S]*val_acc/);
  });
  it('evaluates: accuracy, confusion matrix, precision/recall/F1', async () => {
    const r = await run('eval', '--model', model, '--data', tsv, '--backend', 'cpu', '-q');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /accuracy [\d.]+ %[\s\S]*confusion matrix[\s\S]*precision\s+recall\s+f1\s+support/,
    );
    const j = JSON.parse(
      (await run('eval', '--model', model, '--data', tsv, '--backend', 'cpu', '-q', '--json')).out,
    );
    expect(j.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(120);
  });
  it('predicts and explains a sentence as JSON', async () => {
    const r = await run(
      'predict',
      '--model',
      model,
      '--backend',
      'cpu',
      '-q',
      '--json',
      '--explain',
      'a truly wonderful film',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j.probabilities)).toEqual(['bad', 'good']);
    expect(j.contributions.map((c: { token: string }) => c.token)).toEqual([
      'a',
      'truly',
      'wonderful',
      'film',
    ]);
    expect(
      j.contributions.every((c: { contribution: number }) => Number.isFinite(c.contribution)),
    ).toBe(true);
  });
  it('reads stdin line by line: an empty line is reported, unknown-only and 10,000-word lines are scored', () => {
    const long = Array.from({ length: 10000 }, (_, i) => (i % 2 ? 'wonderful' : 'film')).join(' ');
    const input = ['a dull film', '', 'zyx qwv plok', long].join('\n');
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=source',
        cli,
        'predict',
        '--model',
        model,
        '--backend',
        'cpu',
        '-q',
      ],
      {
        input,
        encoding: 'utf8',
        cwd: path.dirname(cli),
      },
    );
    expect(r.status).toBe(1); // one line could not be read
    expect(r.stderr).toMatch(/stdin line 2: the text is empty/);
    expect(r.stderr).toMatch(/stdin line 3: all 3 words are unknown to the model/);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l).toMatch(/^(good|bad)\t[01]\.\d{4}\t/);
  });
  it('refuses to explain a 10,000-word line with a message', async () => {
    const long = Array.from({ length: 10000 }, () => 'film').join(' ');
    const r = await run('predict', '--model', model, '--backend', 'cpu', '-q', '--explain', long);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--explain: the text has 10000 words/);
  });
  it('trains from GloVe vectors, reporting the words it lacks', async () => {
    const vectors = path.join(dir, 'vectors.txt');
    writeFileSync(vectors, 'wonderful 0.9 0.1 0.3\nawful -0.8 0.2 0.1\nfilm 0.1 0.1 0.1\n');
    const out = path.join(dir, 'glove-model');
    const r = await run(
      'train',
      '--data',
      tsv,
      '--backend',
      'cpu',
      '--epochs',
      '1',
      '--hidden',
      '4',
      '--embeddings',
      vectors,
      '--out',
      out,
      '--json',
    );
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /word vectors: 3 of \d+ vocabulary words found .*dimension 3.*missing, initialised randomly/,
    );
    const summary = JSON.parse(r.out);
    expect(summary.wordVectors).toMatchObject({ dim: 3, found: 3 });
    expect(summary.wordVectors.missing).toBeGreaterThan(0);
    const mismatch = await run(
      'train',
      '--data',
      tsv,
      '--backend',
      'cpu',
      '--embed',
      '8',
      '--embeddings',
      vectors,
      '--out',
      out,
    );
    expect(mismatch.err).toMatch(/--embed 8 does not match the 3-dimensional vectors/);
  });
  it('names the line of a malformed data row', async () => {
    const bad = path.join(dir, 'bad.tsv');
    writeFileSync(bad, 'good\tfine\nbad\tawful\nthis row has no tab\n');
    const r = await run('train', '--data', bad, '--backend', 'cpu', '-q');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.tsv:3: malformed row \(no tab\)/);
  });
  it('refuses data of one class', async () => {
    const one = path.join(dir, 'one.tsv');
    writeFileSync(one, 'good\tfine\ngood\tnice\n');
    const r = await run('train', '--data', one, '--backend', 'cpu', '-q');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/at least two classes/);
  });
  it('refuses evaluation data whose labels the model does not know', async () => {
    const other = path.join(dir, 'other.tsv');
    writeFileSync(other, 'pos\tfine\nneg\tawful\n');
    const r = await run('eval', '--model', model, '--data', other, '--backend', 'cpu', '-q');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/labels 'neg', 'pos' are not among the model's labels \(bad, good\)/);
  });
  it('refuses a missing model, an empty sentence, bad flags and unknown commands', async () => {
    expect(
      (await run('predict', '--model', path.join(dir, 'none'), '--backend', 'cpu', 'hi')).err,
    ).toMatch(/--model: .* is not a model directory/);
    expect((await run('predict', '--model', model, '--backend', 'cpu', '-q', '  ')).err).toMatch(
      /argument 1: the text is empty/,
    );
    expect((await run('train', '--hidden', 'ten', '--backend', 'cpu')).err).toMatch(
      /--hidden must be an integer/,
    );
    expect((await run('train', '--pool', 'sum', '--backend', 'cpu')).err).toMatch(
      /--pool must be one of last, max, mean, got 'sum'/,
    );
    expect((await run('train', '--backend', 'tpu')).err).toMatch(
      /--backend must be one of cpu, wasm, gpujs/,
    );
    expect((await run('cv', '--folds', '1', '--backend', 'cpu')).err).toMatch(
      /--folds must be an integer in \[2/,
    );
    expect((await run('train', '--bogus')).err).toMatch(/Unknown option '--bogus'/);
    const r = await run('fly');
    expect([r.code, r.err]).toEqual([
      1,
      "rnnkit-sentiment fly: unknown command 'fly'; expected train, eval, predict or cv\n",
    ]);
  });
  it('cross-validates: one line per fold, mean ± sd, JSON and SVG', async () => {
    const out = path.join(dir, 'cv.json');
    const r = await run(
      'cv',
      '--data',
      tsv,
      '--folds',
      '3',
      '--backend',
      'cpu',
      '--epochs',
      '1',
      '--embed',
      '8',
      '--hidden',
      '8',
      '-q',
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /fold 1\/3: accuracy [\d.]+ %[\s\S]*fold 3\/3[\s\S]*s of CPU\)[\s\S]*mean accuracy [\d.]+ ± [\d.]+ % over 3 of 3 folds/,
    );
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.perFold).toHaveLength(3);
    expect(
      j.perFold.reduce((s: number, f: { testSentences: number }) => s + f.testSentences, 0),
    ).toBe(120);
    expect(existsSync(out.replace('.json', '.svg'))).toBe(true);
  });
});
