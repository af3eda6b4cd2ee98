// Self-supervised pretraining: a forward (and, for a bidirectional classifier, a backward)
// word language model on the training sentences, whose embedding and first recurrent layer
// then initialise the classifier.
import {
  add,
  concat,
  expandDims,
  mul,
  Random,
  reshape,
  sum,
  type Tensor,
  tensor,
  ValueError,
} from '@rnnkit/core';
import {
  Adam,
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
  /** Sampled wrong words scored against the right next word at every step. */
  negatives: number;
  /** Sentences per step. */
  batchSize: number;
  /** Adam's learning rate. */
  lr: number;
  /** Seed of the batch order and of the sampled words. */
  seed: number;
  /** 0 silent, 1 progress bar on a terminal, 2 one line per epoch. */
  verbose: 0 | 1 | 2;
  /** Where progress goes (default stderr). */
  stream?: ProgressStream;
}

/** What pretraining reports. */
export interface PretrainResult {
  /** Mean sampled-softmax cross-entropy (nats) of each epoch. */
  loss: number[];
  /** Names of the classifier parameters that were initialised. */
  transferred: string[];
}

/**
 * The word language model: shared input embedding, one recurrent stack per direction, and
 * output word vectors with biases. The end of a sentence is predicted as the padding id, which
 * has its own output vector. Scores are computed only for candidate words (the right one
 * first, then sampled wrong ones): a sampled softmax, whose cost does not grow with the
 * vocabulary.
 */
class WordLanguageModel extends Model {
  static override readonly className = 'WordLanguageModel';
  readonly embedding: Embedding;
  readonly fwd: RecurrentLayer;
  readonly bwd: RecurrentLayer | undefined;
  readonly drop: Dropout;
  readonly outputs: Embedding;
  readonly bias: Embedding;

  constructor(spec: ClassifierConfig, layers: number) {
    super({ ...spec, layers });
    const Rnn = spec.cell === 'lstm' ? LSTM : GRU;
    const rnn = (seed: number) =>
      new Rnn({
        inputSize: spec.embed,
        hiddenSize: spec.hidden,
        numLayers: layers,
        dropout: spec.dropout,
        seed,
      });
    const table = (dim: number, seed: number, padding: boolean) =>
      new Embedding({
        numEmbeddings: spec.vocabSize,
        embeddingDim: dim,
        seed,
        embeddingsInitializer: dim === 1 ? 'zeros' : 'glorotUniform',
        ...(padding ? { paddingIdx: PAD_ID } : {}),
      });
    this.embedding = this.register('embedding', table(spec.embed, spec.seed, true));
    this.fwd = this.register('fwd', rnn(spec.seed + 11));
    this.bwd = spec.bidirectional ? this.register('bwd', rnn(spec.seed + 12)) : undefined;
    this.drop = this.register('drop', new Dropout({ rate: spec.dropout, seed: spec.seed + 13 }));
    this.outputs = this.register('outputs', table(spec.hidden, spec.seed + 14, false));
    this.bias = this.register('bias', table(1, spec.seed + 15, false));
  }

  /**
   * `[tokens, reversedTokens?, candidates]`: post-padded `[B, T]` ids (the reversed sentences
   * for the backward model) and candidate ids `[D·B, T, K+1]` → scores `[D·B, T, K+1]`.
   */
  forward(input: ModelInput, options: ForwardOptions = {}): Tensor {
    const parts = input as readonly Tensor[];
    const candidates = parts[parts.length - 1];
    const training = options.training ?? false;
    const run = (rnn: RecurrentLayer, ids: Tensor) => {
      const x = this.drop.apply(this.embedding.apply(ids), { training });
      return this.drop.apply(rnn.forward(x, { training }).output, { training });
    };
    let h = run(this.fwd, parts[0]);
    if (this.bwd && parts.length === 3) h = concat([h, run(this.bwd, parts[1])], 0);
    const [N, T, K] = candidates.shape;
    const scores = sum(mul(expandDims(h, 2), this.outputs.apply(candidates)), 3);
    return add(scores, reshape(this.bias.apply(candidates), [N, T, K]));
  }
}

/** Draws word ids in proportion to count^0.75 (word2vec's noise distribution). */
class NoiseSampler {
  private readonly cumulative: Float64Array;

  constructor(
    sentences: readonly (readonly number[])[],
    vocabSize: number,
    private readonly rng: Random,
  ) {
    const counts = new Float64Array(vocabSize);
    for (const s of sentences) for (const id of s) counts[id]++;
    counts[PAD_ID] = sentences.length; // the end of each sentence
    this.cumulative = new Float64Array(vocabSize);
    let total = 0;
    counts.forEach((c, i) => {
      total += c ** 0.75;
      this.cumulative[i] = total;
    });
  }

  /** One id, different from `avoid` (the right word). */
  draw(avoid: number): number {
    const c = this.cumulative;
    for (;;) {
      const u = this.rng.next() * c[c.length - 1];
      let lo = 0;
      let hi = c.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (c[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      if (lo !== avoid) return lo;
    }
  }
}

/** A batch of the language model: inputs, candidate ids, targets (always candidate 0) and the mask of valid steps. */
function lmBatch(
  ids: readonly (readonly number[])[],
  rows: readonly number[],
  negatives: number,
  bidirectional: boolean,
  noise: NoiseSampler,
): { x: Tensor[]; y: Tensor; mask: Tensor } {
  const B = rows.length;
  const T = Math.max(...rows.map((r) => ids[r].length));
  const D = bidirectional ? 2 : 1;
  const K = negatives + 1;
  const fwd = new Int32Array(B * T).fill(PAD_ID);
  const bwd = new Int32Array(B * T).fill(PAD_ID);
  const cand = new Int32Array(D * B * T * K);
  const mask = new Float32Array(D * B * T);
  const fill = (row: number, t: number, target: number) => {
    const at = (row * T + t) * K;
    cand[at] = target;
    for (let k = 1; k < K; k++) cand[at + k] = noise.draw(target);
    mask[row * T + t] = 1;
  };
  rows.forEach((r, b) => {
    const s = ids[r];
    const n = s.length;
    for (let t = 0; t < n; t++) {
      fwd[b * T + t] = s[t];
      bwd[b * T + t] = s[n - 1 - t];
      fill(b, t, t + 1 < n ? s[t + 1] : PAD_ID);
      if (D === 2) fill(B + b, t, t + 1 < n ? s[n - 2 - t] : PAD_ID);
    }
  });
  const x = [tensor(fwd, [B, T], 'int32')];
  if (D === 2) x.push(tensor(bwd, [B, T], 'int32'));
  x.push(tensor(cand, [D * B, T, K], 'int32'));
  return {
    x,
    y: tensor(new Int32Array(D * B * T), [D * B, T], 'int32'),
    mask: tensor(mask, [D * B, T]),
  };
}

/**
 * Trains a word language model on `sentences` (token ids) and copies its embedding and
 * recurrent weights into `classifier`: all layers of a unidirectional classifier, the first
 * layer (both directions, from the forward and backward models) of a bidirectional one, whose
 * higher layers read both directions at once and have no language-model counterpart. The
 * language model starts from the classifier's embedding (random, or loaded word vectors).
 */
export async function pretrainClassifier(
  classifier: SentimentClassifier,
  sentences: readonly (readonly number[])[],
  options: PretrainOptions,
): Promise<PretrainResult> {
  const spec = classifier.spec;
  if (!(Number.isInteger(options.negatives) && options.negatives >= 1))
    throw new ValueError(
      `--pretrain-negatives must be a positive integer, got ${options.negatives}`,
    );
  const layers = spec.bidirectional ? 1 : spec.layers;
  const lm = new WordLanguageModel(spec, layers);
  try {
    lm.loadStateDict(
      { 'embedding.weight': classifier.embedding.namedParameters().get('weight')! },
      { strict: false },
    );
    lm.compile({
      optimizer: new Adam({ lr: options.lr, clipNorm: 5 }),
      loss: 'sparseCategoricalCrossEntropy',
    });
    const rng = new Random(options.seed);
    const noise = new NoiseSampler(sentences, spec.vocabSize, rng);
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
      let total = 0;
      let count = 0;
      bucketedBatches(lens, rows, options.batchSize, rng).forEach((batch, b) => {
        const { x, y, mask } = lmBatch(
          sentences,
          batch,
          options.negatives,
          spec.bidirectional,
          noise,
        );
        try {
          const logs = lm.trainOnBatch(x, y, mask);
          total += logs.loss * batch.length;
          count += batch.length;
          progress.onBatchEnd(b, { lm_loss: logs.loss });
        } finally {
          for (const t of [...x, y, mask]) t.dispose();
        }
      });
      losses.push(total / count);
      progress.onEpochEnd(epoch, { lm_loss: total / count });
    }
    const weights = lm.stateDict();
    const dict: StateDict = { 'embedding.weight': weights['embedding.weight'] };
    for (const [name, value] of Object.entries(weights)) {
      const m = /^(fwd|bwd)\.(.+_l\d+)$/.exec(name);
      if (m) dict[`rnn.${m[2]}${m[1] === 'bwd' ? '_reverse' : ''}`] = value;
    }
    classifier.loadStateDict(dict, { strict: false });
    return { loss: losses, transferred: Object.keys(dict) };
  } finally {
    lm.dispose();
  }
}
