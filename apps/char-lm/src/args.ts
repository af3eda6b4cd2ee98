/** The command line: every command's flags, parsed with node:util parseArgs and each value checked. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { BACKENDS, type BackendName } from './backends.js';
import { CliError } from './errors.js';
import { CELLS, type CellName } from './model.js';

/** Usage text of the whole program. */
export const USAGE = `Usage: rnnkit-char-lm [command] [flags]      (from the repository: pnpm char-lm …)

A character-level language model: train it on any UTF-8 text, watch it learn, resume it, sample from it.
With no command (or only train's flags): train the default model on Tiny Shakespeare for 2 minutes
(pnpm demo), then print a sample.

  train   [--text FILE] [--backend wasm|cpu|gpujs] [--cell lstm|gru|rnn] [--layers N] [--hidden N]
          [--embed N] [--seq N] [--batch N] [--lr X] [--dropout P] [--minutes M | --steps N]
          [--eval-every SECONDS] [--out DIR] [--resume DIR] [--seed S]
      --text FILE        UTF-8 text; the last 10 % is held out for validation (default: Tiny Shakespeare)
      --backend NAME     compute backend (default: the fastest that starts, wasm then cpu)
      --cell lstm|gru|rnn, --layers N, --hidden N, --embed N    the model (default lstm, 2, 256, 64)
      --seq N            characters per truncated-BPTT window (default 64)
      --batch N          parallel streams through the text (default 32)
      --lr X             peak learning rate of Adam (warm-up, then cosine to lr/10; default 0.003)
      --dropout P        dropout between layers and before the output (default 0)
      --minutes M        wall-time budget, validation included (default 20) — or --steps N;
                         both count the whole run, a resumed one included
      --eval-every S     seconds between validations and checkpoints (default: a tenth of
                         --minutes, 30 s to 2 min)
      --out DIR          run directory: metrics.jsonl, loss.svg, last/, best/ (default char-lm-runs/<time>)
      --resume DIR       continue the run in DIR exactly where its last checkpoint stopped
      --seed S           seed of weights, dropout and data order (default 1)
  sample  --model DIR [--prime TEXT] [--length N] [--temperature T] [--top-k K] [--top-p P]
          [--beam W] [--seed S] [--backend NAME]
      streams characters to stdout (default length 500, temperature 0.8; --temperature 0 is greedy;
      --beam W runs beam search instead of sampling)
  eval    --model DIR [--text FILE] [--backend NAME]
      loss in nats/char and bits/char, and perplexity (default text: the run's held-out 10 %)

A model DIR is a train --out directory (its best/ checkpoint is used) or a checkpoint directory.
Ctrl-C during training writes a checkpoint and stops; --resume continues it.`;

/** Parsed `train` flags (undefined: not given). */
export interface TrainFlags {
  text?: string;
  backend?: BackendName;
  cell?: CellName;
  layers?: number;
  hidden?: number;
  embed?: number;
  seq?: number;
  batch?: number;
  lr?: number;
  dropout?: number;
  minutes?: number;
  steps?: number;
  evalEvery?: number;
  out?: string;
  resume?: string;
  seed?: number;
}

/** Parsed `sample` flags. */
export interface SampleFlags {
  model: string;
  prime?: string;
  length: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  beam?: number;
  seed: number;
  backend?: BackendName;
}

/** Parsed `eval` flags. */
export interface EvalFlags {
  model: string;
  text?: string;
  backend?: BackendName;
}

/** A parsed command line. */
export type Command =
  | { command: 'help' }
  | { command: 'demo'; flags: TrainFlags }
  | { command: 'train'; flags: TrainFlags }
  | { command: 'sample'; flags: SampleFlags }
  | { command: 'eval'; flags: EvalFlags };

const str = { type: 'string' } as const;

function number(
  flag: string,
  v: string | undefined,
  check: (n: number) => boolean,
  expected: string,
): number | undefined {
  if (v === undefined) return undefined;
  const n = v.trim() === '' ? Number.NaN : Number(v);
  if (!check(n)) throw new CliError(`--${flag} must be ${expected}, got '${v}'`);
  return n;
}
const int = (flag: string, v: string | undefined, min = 1, max = Number.MAX_SAFE_INTEGER) =>
  number(
    flag,
    v,
    (n) => Number.isInteger(n) && n >= min && n <= max,
    `an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}]`,
  );
const positive = (flag: string, v: string | undefined) =>
  number(flag, v, (n) => Number.isFinite(n) && n > 0, 'a number > 0');

function choice<T extends string>(
  flag: string,
  v: string | undefined,
  options: readonly T[],
): T | undefined {
  if (v === undefined) return undefined;
  if (!options.includes(v as T))
    throw new CliError(`--${flag} must be one of ${options.join(', ')}, got '${v}'`);
  return v as T;
}

/** A value that starts with a dash but is a number (`--temperature -1`), which parseArgs would take for a flag. */
const NEGATIVE_NUMBER = /^-(\d|\.\d|Infinity)/;

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  // join `--flag -1` into `--flag=-1` so a negative number reaches the flag's own check
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : undefined;
    if (name !== undefined && name in options && NEGATIVE_NUMBER.test(args[i + 1] ?? ''))
      joined.push(`${args[i]}=${args[++i]}`);
    else joined.push(args[i]);
  }
  try {
    return parseArgs({ args: joined, options, strict: true, allowPositionals: false })
      .values as Record<string, string | undefined>;
  } catch (e) {
    throw new CliError(`${(e as Error).message.split('\n')[0]} (see --help)`);
  }
}

/** `train`'s flags (also the demo's). */
function parseTrainFlags(rest: string[]): TrainFlags {
  const v = parse(rest, {
    text: str,
    backend: str,
    cell: str,
    layers: str,
    hidden: str,
    embed: str,
    seq: str,
    batch: str,
    lr: str,
    dropout: str,
    minutes: str,
    steps: str,
    'eval-every': str,
    out: str,
    resume: str,
    seed: str,
  });
  if (v.minutes !== undefined && v.steps !== undefined)
    throw new CliError('--minutes and --steps are exclusive: give one budget');
  for (const flag of ['text', 'out', 'resume'] as const)
    if (v[flag] !== undefined && v[flag].trim() === '')
      throw new CliError(`--${flag} must be a path, got ''`);
  return {
    text: v.text,
    backend: choice('backend', v.backend, BACKENDS),
    cell: choice('cell', v.cell, CELLS),
    layers: int('layers', v.layers, 1, 16),
    hidden: int('hidden', v.hidden, 1, 8192),
    embed: int('embed', v.embed, 1, 8192),
    seq: int('seq', v.seq, 1, 100_000),
    batch: int('batch', v.batch, 1, 100_000),
    lr: number('lr', v.lr, (n) => Number.isFinite(n) && n > 0 && n < 1, 'a number in (0, 1)'),
    dropout: number('dropout', v.dropout, (n) => n >= 0 && n < 1, 'a number in [0, 1)'),
    minutes: positive('minutes', v.minutes),
    steps: int('steps', v.steps),
    evalEvery: positive('eval-every', v['eval-every']),
    out: v.out,
    resume: v.resume,
    seed: int('seed', v.seed, 0, 2 ** 32 - 1),
  };
}

/** Parses `argv` (without node and the script); throws {@link CliError} naming the bad flag. */
export function parseCommand(argv: readonly string[]): Command {
  const args = argv.filter((a) => a !== '--');
  if (args.includes('--help') || args.includes('-h') || args[0] === 'help')
    return { command: 'help' };
  const [first, ...rest] = args;
  // no command: the demo, which takes train's flags (e.g. `--backend cpu --minutes 1`)
  if (first === undefined || first.startsWith('--'))
    return { command: 'demo', flags: parseTrainFlags(args) };
  if (first === 'train') return { command: 'train', flags: parseTrainFlags(rest) };
  if (first === 'sample') {
    const v = parse(rest, {
      model: str,
      prime: str,
      length: str,
      temperature: str,
      'top-k': str,
      'top-p': str,
      beam: str,
      seed: str,
      backend: str,
    });
    if (v.model === undefined)
      throw new CliError('sample: --model DIR is required (a train --out directory)');
    const beam = int('beam', v.beam, 1, 1000);
    const temperature = number(
      'temperature',
      v.temperature,
      (n) => Number.isFinite(n) && n >= 0,
      'a number ≥ 0 (0 = greedy)',
    );
    const topK = int('top-k', v['top-k']);
    const topP = number('top-p', v['top-p'], (n) => n > 0 && n <= 1, 'a number in (0, 1]');
    if (
      beam !== undefined &&
      (temperature !== undefined || topK !== undefined || topP !== undefined)
    )
      throw new CliError(
        '--beam searches deterministically: it cannot be combined with --temperature, --top-k or --top-p',
      );
    if (v.prime === '') throw new CliError("--prime must hold at least one character, got ''");
    return {
      command: 'sample',
      flags: {
        model: v.model,
        prime: v.prime,
        length: int('length', v.length, 1, 10_000_000) ?? 500,
        temperature,
        topK,
        topP,
        beam,
        seed: int('seed', v.seed, 0, 2 ** 32 - 1) ?? 0,
        backend: choice('backend', v.backend, BACKENDS),
      },
    };
  }
  if (first === 'eval') {
    const v = parse(rest, { model: str, text: str, backend: str });
    if (v.model === undefined)
      throw new CliError('eval: --model DIR is required (a train --out directory)');
    return {
      command: 'eval',
      flags: { model: v.model, text: v.text, backend: choice('backend', v.backend, BACKENDS) },
    };
  }
  throw new CliError(`unknown command '${first}': use train, sample or eval (see --help)`);
}
