// Self-supervised pretraining: a forward (and, for a bidirectional classifier, a backward)
// word language model on the training sentences, whose embedding and first recurrent layer
// then initialise the classifier.
import { concat, Random, type Tensor, tensor, ValueError } from '@rnnkit/core';
import {
  Adam,
  Dense,
  Dropout,
  Embedding,
  type ForwardOptions,
  GRU,
  LSTM,
  Model,
  type ModelInput,
  ProgressBar,
  type ProgressStream,
  type RecurrentLayer,
  type StateDict,
} from '@rnnkit/nn';
import { bucketedBatches } from './batch.js';
import type { ClassifierConfig, SentimentClassifier } from './model.js';
import { PAD_ID } from './vocab.js';

/** Options of {@link pretrainClassifier}. */
export interface PretrainOptions {
  /** Passes over the sentences. */
  epochs: number;
  /** Predict only this many most frequent words; the rest share one "other word" class. */
  outputWords: number;
  /** Sentences per step. */
  batchSize: number;
  /** Adam's learning rate. */
  lr: number;
  /** Seed of the batch order. */
  seed: number;
  /** 0 silent, 1 progress bar on a terminal, 2 one line per epoch. */
  verbose: 0 | 1 | 2;
  /** Where progress goes (default stderr). */
  stream?: ProgressStream;
}

/** What pretraining reports. */
export interface PretrainResult {
  /** Mean next-word cross-entropy (nats) of each epoch. */
  loss: number[];
  /** Names of the classifier parameters that were initialised. */
  transferred: string[];
}

// Output classes of the language model: 0 "a word outside the predicted ones", 1 end of
// sentence, 2… the predicted words (vocabulary ids 2…outputWords+1, the most frequent ones).
const OTHER = 0;
const END = 1;

/** The word language model: shared embedding, one recurrent stack per direction, shared output layer. */
class WordLanguageModel extends Model {
  static override readonly className = 'WordLanguageModel';
  readonly embedding: Embedding;
  readonly fwd: RecurrentLayer;
  readonly bwd: RecurrentLayer | undefined;
  readonly drop: Dropout;
  readonly head: Dense;

  constructor(spec: ClassifierConfig, layers: number, outputs: number) {
    super({ ...spec, layers, outputs });
    const Rnn = spec.cell === 'lstm' ? LSTM : GRU;
    const rnn = (seed: number) =>
      new Rnn({
        inputSize: spec.embed,
        hiddenSize: spec.hidden,
        numLayers: layers,
        dropout: spec.dropout,
        seed,
      });
    this.embedding = this.register(
      'embedding',
      new Embedding({
        numEmbeddings: spec.vocabSize,
        embeddingDim: spec.embed,
        seed: spec.seed,
        embeddingsInitializer: 'glorotUniform',
      }),
    );
    this.fwd = this.register('fwd', rnn(spec.seed + 11));
    this.bwd = spec.bidirectional ? this.register('bwd', rnn(spec.seed + 12)) : undefined;
    this.drop = this.register('drop', new Dropout({ rate: spec.dropout, seed: spec.seed + 13 }));
    this.head = this.register(
      'head',
      new Dense({ inputSize: spec.hidden, units: outputs, seed: spec.seed + 14 }),
    );
  }

  /** `[tokens, lengths, reversedTokens?]` → logits `[D·B, T, outputs]` (forward rows first). */
  forward(input: ModelInput, options: ForwardOptions = {}): Tensor {
    const [tokens, lengths, reversed] = input as readonly Tensor[];
    const training = options.training ?? false;
    const run = (rnn: RecurrentLayer, ids: Tensor) => {
      const x = this.drop.apply(this.embedding.apply(ids), { training });
      const { output } = rnn.forward(x, { lengths, training });
      return this.head.apply(this.drop.apply(output, { training }));
    };
    const f = run(this.fwd, tokens);
    if (!this.bwd || !reversed) return f;
    return concat([f, run(this.bwd, reversed)], 0);
  }
}

/** A batch of the language model: inputs, next-word targets and the mask of valid steps. */
function lmBatch(
  ids: readonly (readonly number[])[],
  rows: readonly number[],
  outputWords: number,
  bidirectional: boolean,
): { x: Tensor[]; y: Tensor; mask: Tensor } {
  const B = rows.length;
  const T = Math.max(...rows.map((r) => ids[r].length));
  const D = bidirectional ? 2 : 1;
  const fwd = new Int32Array(B * T).fill(PAD_ID);
  const bwd = new Int32Array(B * T).fill(PAD_ID);
  const len = new Int32Array(B);
  const target = new Int32Array(D * B * T);
  const mask = new Float32Array(D * B * T);
  const cls = (id: number) => (id >= 2 && id < outputWords + 2 ? id : OTHER);
  rows.forEach((r, b) => {
    const s = ids[r];
    const n = s.length;
    len[b] = n;
    for (let t = 0; t < n; t++) {
      fwd[b * T + t] = s[t];
      bwd[b * T + t] = s[n - 1 - t];
      target[b * T + t] = t + 1 < n ? cls(s[t + 1]) : END;
      mask[b * T + t] = 1;
      if (D === 2) {
        target[(B + b) * T + t] = t + 1 < n ? cls(s[n - 2 - t]) : END;
        mask[(B + b) * T + t] = 1;
      }
    }
  });
  const x = [tensor(fwd, [B, T], 'int32'), tensor(len, [B], 'int32')];
  if (D === 2) x.push(tensor(bwd, [B, T], 'int32'));
  return { x, y: tensor(target, [D * B, T], 'int32'), mask: tensor(mask, [D * B, T]) };
}

/**
 * Trains a word language model on `sentences` (token ids) and copies its embedding and
 * recurrent weights into `classifier`: all layers of a unidirectional classifier, the first
 * layer (both directions, from the forward and backward models) of a bidirectional one, whose
 * higher layers read both directions at once and have no language-model counterpart.
 */
export async function pretrainClassifier(
  classifier: SentimentClassifier,
  sentences: readonly (readonly number[])[],
  options: PretrainOptions,
): Promise<PretrainResult> {
  const spec = classifier.spec;
  if (!(Number.isInteger(options.outputWords) && options.outputWords >= 1))
    throw new ValueError(`--pretrain-words must be a positive integer, got ${options.outputWords}`);
  const outputWords = Math.min(options.outputWords, spec.vocabSize - 2);
  const layers = spec.bidirectional ? 1 : spec.layers;
  const lm = new WordLanguageModel(spec, layers, outputWords + 2);
  try {
    // start from the classifier's embedding (random, or word vectors the caller loaded)
    lm.loadStateDict(
      { 'embedding.weight': classifier.embedding.namedParameters().get('weight')! },
      { strict: false },
    );
    lm.compile({
      optimizer: new Adam({ lr: options.lr, clipNorm: 5 }),
      loss: 'sparseCategoricalCrossEntropy',
    });
    const rng = new Random(options.seed);
    const lens = sentences.map((s) => s.length);
    const rows = sentences.map((_, i) => i);
    const progress = new ProgressBar({
      verbose: options.verbose,
      stream: options.stream ?? process.stderr,
    });
    progress.setParams({
      epochs: options.epochs,
      steps: Math.ceil(rows.length / options.batchSize),
      samples: rows.length,
      batchSize: options.batchSize,
      verbose: options.verbose,
    });
    const losses: number[] = [];
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      progress.onEpochBegin(epoch);
      let sum = 0;
      let count = 0;
      const batches = bucketedBatches(lens, rows, options.batchSize, rng);
      batches.forEach((batch, b) => {
        const { x, y, mask } = lmBatch(sentences, batch, outputWords, spec.bidirectional);
        try {
          const logs = lm.trainOnBatch(x, y, mask);
          sum += logs.loss * batch.length;
          count += batch.length;
          progress.onBatchEnd(b, { lm_loss: logs.loss });
        } finally {
          for (const t of [...x, y, mask]) t.dispose();
        }
      });
      losses.push(sum / count);
      progress.onEpochEnd(epoch, { lm_loss: sum / count });
    }
    const weights = lm.stateDict();
    const dict: StateDict = { 'embedding.weight': weights['embedding.weight'] };
    for (const [name, value] of Object.entries(weights)) {
      const m = /^(fwd|bwd)\.(.+_l\d+)$/.exec(name);
      if (!m) continue;
      dict[`rnn.${m[2]}${m[1] === 'bwd' ? '_reverse' : ''}`] = value;
    }
    classifier.loadStateDict(dict, { strict: false });
    return { loss: losses, transferred: Object.keys(dict) };
  } finally {
    lm.dispose();
  }
}
