// From labelled sentences to a trained model: split, vocabulary, optional word vectors or
// pretraining, training with early stopping. Shared by `train` and every fold of `cv`.
import { Random } from '@rnnkit/core';
import type { ProgressStream } from '@rnnkit/nn';
import type { Dataset } from './data.js';
import { loadWordVectors } from './embeddings.js';
import { InputError } from './errors.js';
import { holdOut } from './folds.js';
import { type Cell, type Pool, SentimentClassifier } from './model.js';
import { pretrainClassifier } from './pretrain.js';
import type { SavedModel } from './saved_model.js';
import { DEFAULT_TOKENIZER, tokenize } from './tokenizer.js';
import { type Encoded, type TrainResult, trainClassifier } from './train.js';
import { Vocabulary } from './vocab.js';

/** Everything that decides how a model is built and trained. */
export interface ModelFlags {
  cell: Cell;
  layers: number;
  hidden: number;
  /** Embedding size; 0 with `embeddings`: the file's. */
  embed: number;
  bidirectional: boolean;
  pool: Pool;
  dropout: number;
  wordDropout: number;
  epochs: number;
  batchSize: number;
  lr: number;
  patience: number;
  seed: number;
  minCount: number;
  maxVocab: number | undefined;
  /** Fraction of the training sentences held out for early stopping. */
  valFraction: number;
  /** Word-vector file (GloVe / word2vec text), if any. */
  embeddings: string | undefined;
  /** Pretrain as a word language model first. */
  pretrain: boolean;
  pretrainEpochs: number;
  /** Sampled wrong words per step of the pretraining language model. */
  pretrainNegatives: number;
}

/** Defaults of {@link ModelFlags}: the settings the reported MR numbers use. */
export const DEFAULT_FLAGS: ModelFlags = {
  cell: 'lstm',
  layers: 1,
  hidden: 64,
  embed: 64,
  bidirectional: true,
  pool: 'mean',
  dropout: 0.5,
  wordDropout: 0.3,
  epochs: 12,
  batchSize: 50,
  lr: 2e-3,
  patience: 2,
  seed: 1,
  minCount: 2,
  maxVocab: undefined,
  valFraction: 0.1,
  embeddings: undefined,
  pretrain: false,
  pretrainEpochs: 2,
  pretrainNegatives: 5,
};

/** Where the pipeline reports what it does. */
export interface PipelineOutput {
  /** Informational lines (stderr in the CLI). */
  info(line: string): void;
  /** 0 silent, 1 progress bar on a terminal, 2 one line per epoch. */
  verbose: 0 | 1 | 2;
  /** Progress stream. */
  stream?: ProgressStream;
}

/** A trained model and how its training went. */
export interface Trained {
  /** The model with its vocabulary and metadata. */
  saved: SavedModel;
  /** The training run. */
  result: TrainResult;
  /** Facts worth reporting (vocabulary size, word vectors found, pretraining loss, …). */
  notes: Record<string, unknown>;
}

/** Token lists of `texts` with the default tokenizer. */
export function tokenizeAll(texts: readonly string[]): string[][] {
  return texts.map((t) => tokenize(t, DEFAULT_TOKENIZER));
}

/** Encodes `rows` of the data with `vocab`. */
export function encodeRows(
  tokens: readonly string[][],
  y: readonly number[],
  rows: readonly number[],
  vocab: Vocabulary,
): Encoded {
  return { ids: rows.map((r) => vocab.encode(tokens[r])), y: rows.map((r) => y[r]) };
}

/** Trains a classifier on `rows` of `data` (`tokens` are its tokenized texts). */
export async function trainOnRows(
  data: Dataset,
  tokens: readonly string[][],
  rows: readonly number[],
  flags: ModelFlags,
  out: PipelineOutput,
): Promise<Trained> {
  const split = holdOut(rows, data.y, flags.valFraction, flags.seed);
  if (split.val.length === 0 || split.train.length === 0)
    throw new InputError(
      `--val-fraction ${flags.valFraction} of ${rows.length} sentences leaves no ${split.val.length === 0 ? 'validation' : 'training'} sentence`,
    );
  const vocab = Vocabulary.build(
    split.train.map((r) => tokens[r]),
    { minCount: flags.minCount, maxSize: flags.maxVocab },
  );
  const notes: Record<string, unknown> = {
    trainSentences: split.train.length,
    validationSentences: split.val.length,
    vocabulary: vocab.size,
  };
  out.info(
    `${split.train.length} training and ${split.val.length} validation sentences, vocabulary of ${vocab.size} tokens`,
  );
  let embed = flags.embed;
  let table: Awaited<ReturnType<typeof loadWordVectors>> | undefined;
  if (flags.embeddings) {
    table = await loadWordVectors(flags.embeddings, vocab, new Random(flags.seed + 5));
    if (embed !== 0 && embed !== table.dim)
      throw new InputError(
        `--embed ${embed} does not match the ${table.dim}-dimensional vectors of --embeddings ${flags.embeddings}; leave --embed out to use the file's size`,
      );
    embed = table.dim;
    notes.wordVectors = {
      file: flags.embeddings,
      dim: table.dim,
      found: table.found,
      missing: table.missing,
    };
    out.info(
      `word vectors: ${table.found} of ${vocab.size - 2} vocabulary words found in ${flags.embeddings} (dimension ${table.dim}); ${table.missing} missing, initialised randomly`,
    );
  }
  if (embed === 0) throw new InputError('--embed must be a positive integer');
  const model = new SentimentClassifier({
    vocabSize: vocab.size,
    classes: data.labels.length,
    embed,
    hidden: flags.hidden,
    layers: flags.layers,
    cell: flags.cell,
    bidirectional: flags.bidirectional,
    pool: flags.pool,
    dropout: flags.dropout,
    seed: flags.seed,
  });
  try {
    // word vectors first: pretraining (if asked) starts from them
    if (table)
      model.loadStateDict(
        { 'embedding.weight': { shape: [vocab.size, embed], data: table.weights } },
        { strict: false },
      );
    if (flags.pretrain) {
      const text = [...split.train, ...split.val].map((r) => vocab.encode(tokens[r]));
      out.info(
        `pretraining: ${flags.bidirectional ? 'forward and backward' : 'forward'} word language model on ${text.length} sentences`,
      );
      const pre = await pretrainClassifier(model, text, {
        epochs: flags.pretrainEpochs,
        negatives: flags.pretrainNegatives,
        batchSize: flags.batchSize,
        lr: 2e-3,
        seed: flags.seed + 7,
        verbose: out.verbose,
        stream: out.stream,
      });
      notes.pretrain = { loss: pre.loss, initialised: pre.transferred };
    }
    const result = await trainClassifier(
      model,
      encodeRows(tokens, data.y, split.train, vocab),
      encodeRows(tokens, data.y, split.val, vocab),
      {
        epochs: flags.epochs,
        batchSize: flags.batchSize,
        lr: flags.lr,
        patience: flags.patience,
        seed: flags.seed + 3,
        wordDropout: flags.wordDropout,
        verbose: out.verbose,
        stream: out.stream,
      },
    );
    notes.bestEpoch = result.bestEpoch + 1;
    notes.epochsRun = result.epochsRun;
    return {
      saved: {
        model,
        vocab,
        meta: {
          format: 'rnnkit-sentiment',
          version: 1,
          labels: [...data.labels],
          tokenizer: DEFAULT_TOKENIZER,
          config: model.spec,
          training: { flags: { ...flags }, ...notes, history: result.history.history },
        },
      },
      result,
      notes,
    };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
