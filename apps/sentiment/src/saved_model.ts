// A trained model's contents — weights, vocabulary, tokenizer settings and label names — checked
// and decoded from the bytes of its three files. Browser-safe: the CLI reads them from a
// directory (store.ts), the playground from files the user picks.
import { FormatError } from '@rnnkit/core';
import { deserialize } from '@rnnkit/nn';
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

/** The bytes of a model directory's three files ({@link MODEL_FILES}). */
export interface SavedModelFiles {
  /** `sentiment.json`. */
  meta: Uint8Array;
  /** `vocab.json`. */
  vocab: Uint8Array;
  /** `model.rnnkit`. */
  weights: Uint8Array;
}

/**
 * Decodes and cross-checks a model's files; every problem is an {@link InputError} naming `flag`
 * (the flag or control the model came from) and `source` (its directory or files).
 */
export function decodeSavedModel(files: SavedModelFiles, flag: string, source: string): SavedModel {
  const json = (file: string, bytes: Uint8Array) => {
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    } catch (e) {
      throw new InputError(
        `${flag}: ${source}/${file} is not valid JSON (${(e as Error).message})`,
      );
    }
  };
  const meta = json(MODEL_FILES.meta, files.meta) as ModelMeta;
  if (meta?.format !== 'rnnkit-sentiment' || meta.version !== 1 || !Array.isArray(meta.labels))
    throw new InputError(
      `${flag}: ${source}/${MODEL_FILES.meta} is not an rnnkit-sentiment version 1 description`,
    );
  const vocab = Vocabulary.fromJSON(json(MODEL_FILES.vocab, files.vocab));
  let model: SentimentClassifier;
  try {
    model = deserialize<SentimentClassifier>(files.weights);
  } catch (e) {
    if (e instanceof FormatError)
      throw new InputError(`${flag}: ${source}/${MODEL_FILES.weights}: ${e.message}`);
    throw e;
  }
  if (model.spec?.vocabSize !== vocab.size || model.spec.classes !== meta.labels.length) {
    model.dispose();
    throw new InputError(
      `${flag}: '${source}' is inconsistent: the weights expect ${model.spec?.vocabSize} tokens and ${model.spec?.classes} classes, ${MODEL_FILES.vocab} holds ${vocab.size} and ${MODEL_FILES.meta} ${meta.labels.length} labels`,
    );
  }
  return { model, vocab, meta: { ...meta, tokenizer: meta.tokenizer ?? DEFAULT_TOKENIZER } };
}
