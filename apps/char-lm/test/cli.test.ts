// Bad input: each case is a CliError with a one-line message naming the flag or file, the program
// exits with code 2 and one line on stderr, and nothing already saved is touched.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '@rnnkit/backend-cpu';
import { setBackend } from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../src/args.js';
import { runEval, runSample, runTrain } from '../src/commands.js';
import { CliError } from '../src/errors.js';
import { captureIo, corpusSlice, tempDir } from './helpers.js';

const dir = tempDir();
const tiny = {
  backend: 'cpu',
  layers: 1,
  hidden: 16,
  embed: 8,
  seq: 16,
  batch: 4,
  steps: 3,
} as const;

/** Every file under `root` with its size and modification time. */
function snapshot(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((f) => {
      const s = statSync(join(root, f));
      return `${f} ${s.size} ${s.mtimeMs}`;
    });
}

/** Runs a command line in-process and returns the CliError's message. */
async function failure(argv: string[]): Promise<string> {
  try {
    const cmd = parseCommand(argv);
    const io = captureIo(dir);
    if (cmd.command === 'train') await runTrain(cmd.flags, io);
    else if (cmd.command === 'sample') await runSample(cmd.flags, io);
    else if (cmd.command === 'eval') await runEval(cmd.flags, io);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    expect(e.message).not.toContain('\n');
    return e.message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

beforeAll(async () => {
  await setBackend('cpu');
  corpusSlice(dir, 4_000, 'text.txt');
  writeFileSync(join(dir, 'other.txt'), `${readFileSync(join(dir, 'text.txt'), 'utf8')}\n{~}`);
  writeFileSync(join(dir, 'empty.txt'), '');
  writeFileSync(
    join(dir, 'binary.bin'),
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]),
  );
  writeFileSync(join(dir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x61]));
  writeFileSync(join(dir, 'same.txt'), 'a'.repeat(5_000));
  writeFileSync(join(dir, 'short.txt'), 'to be or not'.repeat(4));
  await runTrain({ ...tiny, text: 'text.txt', out: 'run' }, captureIo(dir));
});

describe('bad input', () => {
  it('text files: empty, binary, not UTF-8, one repeated character, shorter than a window, missing', async () => {
    expect(await failure(['train', '--text', 'empty.txt'])).toMatch(
      /^--text: '.*empty.txt' is empty; give a UTF-8 text file$/,
    );
    expect(await failure(['train', '--text', 'binary.bin'])).toMatch(
      /'.*binary.bin' is a binary file \(a NUL byte at offset 6\)/,
    );
    expect(await failure(['train', '--text', 'latin1.txt'])).toMatch(
      /'.*latin1.txt' is not valid UTF-8 text/,
    );
    expect(await failure(['train', '--text', 'same.txt'])).toMatch(
      /holds a single distinct character \("a"\); a language model needs at least 2/,
    );
    expect(await failure(['train', '--text', 'short.txt', '--seq', '64'])).toMatch(
      /too short: its training part \(90 %\) has 43 characters, fewer than one window of --seq 64 plus 1/,
    );
    expect(await failure(['train', '--text', 'text.txt', '--batch', '500', '--seq', '64'])).toMatch(
      /cannot hold --batch 500 streams of --seq 64 \(needs 32001\); lower --batch or --seq/,
    );
    expect(await failure(['train', '--text', 'nope.txt'])).toMatch(
      /^--text: cannot read '.*nope.txt' \(ENOENT\)$/,
    );
  });

  it('nonsense flag values name the flag, the expected and the given value', async () => {
    expect(await failure(['train', '--hidden', '0'])).toBe(
      "--hidden must be an integer in [1, 8192], got '0'",
    );
    expect(await failure(['train', '--layers', '2.5'])).toBe(
      "--layers must be an integer in [1, 16], got '2.5'",
    );
    expect(await failure(['train', '--lr', 'fast'])).toBe(
      "--lr must be a number in (0, 1), got 'fast'",
    );
    expect(await failure(['train', '--dropout', '1'])).toBe(
      "--dropout must be a number in [0, 1), got '1'",
    );
    expect(await failure(['train', '--cell', 'transformer'])).toBe(
      "--cell must be one of lstm, gru, rnn, got 'transformer'",
    );
    expect(await failure(['train', '--minutes', '1', '--steps', '5'])).toMatch(/exclusive/);
    expect(await failure(['train', '--bogus', '1'])).toMatch(/Unknown option '--bogus'/);
    expect(await failure(['sample', '--model', 'run', '--temperature', '-1'])).toBe(
      "--temperature must be a number ≥ 0 (0 = greedy), got '-1'",
    );
    expect(await failure(['sample', '--model', 'run', '--top-p', '2'])).toBe(
      "--top-p must be a number in (0, 1], got '2'",
    );
    expect(await failure(['sample', '--model', 'run', '--top-k', '0'])).toMatch(
      /^--top-k must be an integer/,
    );
    expect(
      await failure(['sample', '--model', 'run', '--beam', '3', '--temperature', '0.5']),
    ).toMatch(/--beam .* cannot be combined/);
    expect(await failure(['sample'])).toMatch(/--model DIR is required/);
    expect(await failure(['fly'])).toMatch(/unknown command 'fly'/);
  });

  it('model directories: missing, not a run, corrupt; prime characters the model never saw', async () => {
    expect(await failure(['sample', '--model', 'missing'])).toMatch(
      /^--model: '.*missing' does not exist$/,
    );
    expect(await failure(['eval', '--model', '.'])).toMatch(/holds no checkpoint/);
    expect(await failure(['sample', '--model', 'run', '--prime', 'Zebra€'])).toMatch(
      /^--prime holds 2 characters the model never saw: "Z", "€"$/,
    );
    const corrupt = tempDir();
    await runTrain(
      { ...tiny, text: join(dir, 'text.txt'), out: join(corrupt, 'run') },
      captureIo(dir),
    );
    const last = join(corrupt, 'run', 'best');
    const model = readdirSync(last).find((f) => f.startsWith('model-')) as string;
    const bytes = readFileSync(join(last, model));
    bytes[bytes.length - 3] ^= 0x55;
    writeFileSync(join(last, model), bytes);
    expect(await failure(['sample', '--model', join(corrupt, 'run')])).toMatch(
      /^--model: '.*best': .*CRC/,
    );
    writeFileSync(join(last, 'checkpoint.json'), '{"format": "rnnkit-checkpoint"');
    expect(await failure(['eval', '--model', join(corrupt, 'run')])).toMatch(
      /checkpoint.json is not valid JSON/,
    );
  });

  it('--resume with another architecture or vocabulary, or --out over a run, changes nothing saved', async () => {
    const before = snapshot(join(dir, 'run'));
    expect(await failure(['train', '--resume', 'run', '--hidden', '32'])).toMatch(
      /^--resume: '.*last' was trained with --hidden 16, but this run asks for 32; drop the flag or start a new --out$/,
    );
    expect(await failure(['train', '--resume', 'run', '--cell', 'gru'])).toMatch(
      /was trained with --cell lstm/,
    );
    expect(await failure(['train', '--resume', 'run', '--text', 'other.txt'])).toMatch(
      /^--resume: the text's vocabulary \(\d+ characters\) differs from the checkpoint's \(\d+\); new: "\{", "\}", "~"$/,
    );
    expect(await failure(['train', '--resume', 'run'])).toMatch(
      /^--resume: '.*last' already used its budget \(3 steps, \d+ s\); give a larger --minutes or --steps/,
    );
    expect(await failure(['train', '--text', 'text.txt', '--out', 'run', '--steps', '1'])).toMatch(
      /^--out: '.*run' already holds a run; continue it with --resume/,
    );
    expect(snapshot(join(dir, 'run'))).toEqual(before);
  });

  it('the program prints one line and exits with code 2', () => {
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', cli, 'train', '--hidden', '0'],
      {
        encoding: 'utf8',
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        env: { ...process.env, INIT_CWD: dir },
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("rnnkit-char-lm: --hidden must be an integer in [1, 8192], got '0'\n");
    expect(r.stdout).toBe('');
  });
});

describe('eval and sample on a trained run', () => {
  it('eval reports nats, bits and perplexity; sample streams the prime and its continuation', async () => {
    const io = captureIo(dir);
    const r = await runEval({ model: 'run' }, io);
    expect(r.bits).toBeCloseTo(r.nats / Math.LN2, 12);
    expect(r.perplexity).toBeCloseTo(Math.exp(r.nats), 12);
    expect(io.text()).toMatch(
      /\(held-out 10 %\): \d\.\d{4} nats\/char · \d\.\d{4} bits\/char · perplexity \d+\.\d{3} over 399 predictions/,
    );
    const out = captureIo(dir);
    const text = await runSample({ model: 'run', prime: 'ROMEO', length: 40, seed: 3 }, out);
    expect(out.text()).toBe(`ROMEO${text}\n`);
    expect(text).toHaveLength(40);
  });
});
