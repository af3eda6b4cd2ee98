// Command-line flags: the parseArgs table and the checks that turn strings into typed options.
import type { ParseArgsConfig } from 'node:util';
import { BACKENDS } from './backend.js';
import { ENCODINGS, type Encoding } from './data.js';
import { InputError } from './errors.js';
import { CELLS, type Cell, POOLS, type Pool } from './model.js';
import { DEFAULT_FLAGS, type ModelFlags } from './pipeline.js';

/** Every flag of every command (parseArgs rejects unknown ones). */
export const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  data: { type: 'string', multiple: true },
  encoding: { type: 'string' },
  backend: { type: 'string' },
  model: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  explain: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  folds: { type: 'string' },
  'run-folds': { type: 'string' },
  cell: { type: 'string' },
  layers: { type: 'string' },
  hidden: { type: 'string' },
  embed: { type: 'string' },
  bidirectional: { type: 'boolean' },
  unidirectional: { type: 'boolean' },
  pool: { type: 'string' },
  dropout: { type: 'string' },
  'word-dropout': { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  patience: { type: 'string' },
  seed: { type: 'string' },
  'min-count': { type: 'string' },
  'max-vocab': { type: 'string' },
  'val-fraction': { type: 'string' },
  embeddings: { type: 'string' },
  pretrain: { type: 'boolean' },
  'pretrain-epochs': { type: 'string' },
  'pretrain-negatives': { type: 'string' },
} satisfies ParseArgsConfig['options'];

/** Parsed flag values. */
export type Values = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { type: 'boolean' }
    ? boolean
    : (typeof OPTIONS)[K] extends { multiple: true }
      ? string[]
      : string;
};

/** An integer flag in [min, max], or `fallback` when absent. */
export function intFlag(
  v: Values,
  name: keyof Values,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = v[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw new InputError(
      `--${name} must be an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}], got '${String(raw)}'`,
    );
  return n;
}

/** A number flag in [min, max] (`maxOpen`: max excluded), or `fallback` when absent. */
export function numFlag(
  v: Values,
  name: keyof Values,
  fallback: number,
  min: number,
  max: number,
  maxOpen = false,
): number {
  const raw = v[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (
    typeof raw !== 'string' ||
    raw.trim() === '' ||
    !Number.isFinite(n) ||
    n < min ||
    (maxOpen ? n >= max : n > max)
  )
    throw new InputError(
      `--${name} must be a number in [${min}, ${max}${maxOpen ? ')' : ']'}, got '${String(raw)}'`,
    );
  return n;
}

/** One of `choices`, or `fallback` when absent. */
export function choiceFlag<T extends string>(
  v: Values,
  name: keyof Values,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = v[name];
  if (raw === undefined) return fallback;
  if (!(choices as readonly unknown[]).includes(raw))
    throw new InputError(`--${name} must be one of ${choices.join(', ')}, got '${String(raw)}'`);
  return raw as T;
}

/** The backend flag (default wasm, the fastest). */
export function backendFlag(v: Values): string {
  return choiceFlag(v, 'backend', BACKENDS, 'wasm');
}

/** The encoding flag. */
export function encodingFlag(v: Values): Encoding {
  return choiceFlag(v, 'encoding', ENCODINGS, 'auto');
}

/** The model and training flags, checked. */
export function modelFlags(v: Values): ModelFlags {
  const d = DEFAULT_FLAGS;
  if (v.bidirectional && v.unidirectional)
    throw new InputError('--bidirectional and --unidirectional exclude each other; give one');
  const maxVocab = v['max-vocab'] === undefined ? undefined : intFlag(v, 'max-vocab', 0, 3);
  return {
    cell: choiceFlag<Cell>(v, 'cell', CELLS, d.cell),
    layers: intFlag(v, 'layers', d.layers, 1, 8),
    hidden: intFlag(v, 'hidden', d.hidden, 1, 4096),
    // with word vectors the size comes from the file (0 here); an explicit --embed must match it
    embed: intFlag(v, 'embed', v.embeddings ? 0 : d.embed, 1, 4096),
    bidirectional: v.unidirectional ? false : v.bidirectional ? true : d.bidirectional,
    pool: choiceFlag<Pool>(v, 'pool', POOLS, d.pool),
    dropout: numFlag(v, 'dropout', d.dropout, 0, 1, true),
    wordDropout: numFlag(v, 'word-dropout', d.wordDropout, 0, 1, true),
    epochs: intFlag(v, 'epochs', d.epochs, 1, 10000),
    batchSize: intFlag(v, 'batch-size', d.batchSize, 1, 100000),
    lr: numFlag(v, 'lr', d.lr, 1e-7, 10),
    patience: intFlag(v, 'patience', d.patience, 0, 10000),
    seed: intFlag(v, 'seed', d.seed, 0, 2 ** 31 - 1),
    minCount: intFlag(v, 'min-count', d.minCount, 1),
    maxVocab,
    valFraction: numFlag(v, 'val-fraction', d.valFraction, 0.01, 0.5),
    embeddings: v.embeddings,
    pretrain: v.pretrain ?? d.pretrain,
    pretrainEpochs: intFlag(v, 'pretrain-epochs', d.pretrainEpochs, 1, 1000),
    pretrainNegatives: intFlag(v, 'pretrain-negatives', d.pretrainNegatives, 1, 1000),
  };
}
