// A trained model on disk: a directory holding the weights, the vocabulary, the tokenizer
// settings and the label names, written all-or-nothing.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { FormatError } from '@rnnkit/core';
import { loadModel, saveModel, writeFileAtomic } from '@rnnkit/nn/node';
import { InputError } from './errors.js';
import type { ClassifierConfig, SentimentClassifier } from './model.js';
import { DEFAULT_TOKENIZER, type TokenizerConfig } from './tokenizer.js';
import { Vocabulary } from './vocab.js';
import './model.js';

/** Files of a model directory. */
export const MODEL_FILES = {
  weights: 'model.rnnkit',
  vocab: 'vocab.json',
  meta: 'sentiment.json',
} as const;

/** What `sentiment.json` holds. */
export interface ModelMeta {
  /** Format tag. */
  format: 'rnnkit-sentiment';
  /** Format version. */
  version: 1;
  /** Label names; class `i` is `labels[i]`. */
  labels: string[];
  /** Tokenizer settings. */
  tokenizer: TokenizerConfig;
  /** The architecture. */
  config: ClassifierConfig;
  /** How it was trained (flags, data, epochs, validation results). */
  training: Record<string, unknown>;
}

/** A loaded model with what it needs to read text. */
export interface SavedModel {
  /** The classifier. */
  model: SentimentClassifier;
  /** Its vocabulary. */
  vocab: Vocabulary;
  /** Its metadata. */
  meta: ModelMeta;
}

/**
 * Writes the model directory `dir`: every file goes into a fresh sibling directory first, which
 * then replaces `dir` by renames, so an interruption leaves either the old model or the new one.
 */
export async function saveModelDirectory(dir: string, saved: SavedModel): Promise<void> {
  const parent = path.dirname(path.resolve(dir));
  const tmp = path.join(parent, `.${path.basename(dir)}.tmp-${randomBytes(4).toString('hex')}`);
  try {
    await saveModel(saved.model, path.join(tmp, MODEL_FILES.weights));
    await writeFileAtomic(
      path.join(tmp, MODEL_FILES.vocab),
      `${JSON.stringify(saved.vocab.toJSON())}\n`,
    );
    await writeFileAtomic(
      path.join(tmp, MODEL_FILES.meta),
      `${JSON.stringify(saved.meta, null, 2)}\n`,
    );
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory())
        throw new InputError(`--out: '${dir}' exists and is not a directory`);
      const old = `${tmp}-old`;
      renameSync(dir, old);
      renameSync(tmp, dir);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, dir);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Loads a model directory written by {@link saveModelDirectory}. */
export async function loadModelDirectory(dir: string): Promise<SavedModel> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new InputError(
      `--model: '${dir}' is not a model directory (train one with: rnnkit-sentiment train --out ${dir})`,
    );
  const read = (file: string) => {
    const p = path.join(dir, file);
    if (!existsSync(p))
      throw new InputError(`--model: '${dir}' lacks ${file}; it is not a complete model directory`);
    try {
      return JSON.parse(readFileSync(p, 'utf8')) as unknown;
    } catch (e) {
      throw new InputError(`--model: ${p} is not valid JSON (${(e as Error).message})`);
    }
  };
  const meta = read(MODEL_FILES.meta) as ModelMeta;
  if (meta?.format !== 'rnnkit-sentiment' || meta.version !== 1 || !Array.isArray(meta.labels))
    throw new InputError(
      `--model: ${path.join(dir, MODEL_FILES.meta)} is not an rnnkit-sentiment version 1 description`,
    );
  const vocab = Vocabulary.fromJSON(read(MODEL_FILES.vocab));
  const weights = path.join(dir, MODEL_FILES.weights);
  if (!existsSync(weights)) throw new InputError(`--model: '${dir}' lacks ${MODEL_FILES.weights}`);
  let model: SentimentClassifier;
  try {
    model = await loadModel<SentimentClassifier>(weights);
  } catch (e) {
    if (e instanceof FormatError) throw new InputError(`--model: ${weights}: ${e.message}`);
    throw e;
  }
  if (model.spec.vocabSize !== vocab.size || model.spec.classes !== meta.labels.length) {
    model.dispose();
    throw new InputError(
      `--model: '${dir}' is inconsistent: the weights expect ${model.spec.vocabSize} tokens and ${model.spec.classes} classes, vocab.json holds ${vocab.size} and sentiment.json ${meta.labels.length} labels`,
    );
  }
  return { model, vocab, meta: { ...meta, tokenizer: meta.tokenizer ?? DEFAULT_TOKENIZER } };
}
