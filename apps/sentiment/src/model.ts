// The classifier: embedding → (bi)directional LSTM/GRU stack → pooling or last state → dense.
import {
  add,
  div,
  formatShape,
  max,
  reshape,
  slice,
  sum,
  Tensor,
  tensor,
  transpose,
  ValueError,
} from '@rnnkit/core';
import {
  Dense,
  Dropout,
  Embedding,
  type ForwardOptions,
  GRU,
  LSTM,
  Model,
  type ModelInput,
  type RecurrentLayer,
  registerLayer,
  sequenceLengthsOf,
} from '@rnnkit/nn';
import { PAD_ID } from './vocab.js';

/** Recurrent cells the classifier can use. */
export const CELLS = ['lstm', 'gru'] as const;
/** A recurrent cell. */
export type Cell = (typeof CELLS)[number];
/** How the recurrent outputs become one vector per sentence. */
export const POOLS = ['last', 'max', 'mean'] as const;
/** A pooling mode. */
export type Pool = (typeof POOLS)[number];

/** The classifier's architecture (saved with the model). */
export interface ClassifierConfig {
  /** Vocabulary size, padding and unknown tokens included. */
  vocabSize: number;
  /** Number of classes. */
  classes: number;
  /** Embedding size. */
  embed: number;
  /** Hidden units per direction. */
  hidden: number;
  /** Stacked recurrent layers. */
  layers: number;
  /** Cell type. */
  cell: Cell;
  /** Read the sentence in both directions. */
  bidirectional: boolean;
  /** Pooling over the valid steps, or the last state of each direction. */
  pool: Pool;
  /** Dropout on the embeddings, between recurrent layers and before the dense layer. */
  dropout: number;
  /** Seed of the initialisation and of the dropout masks. */
  seed: number;
}

/** A large negative number added to padded steps before max pooling (finite: no NaN in gradients). */
const PAD_FILL = -1e9;

/**
 * The sentence classifier. Its input is int32 token ids `[B, T]`, each row a sentence followed
 * by padding ({@link PAD_ID}). The embedding's padding index gives each row's length, which the
 * recurrent stack uses to stop at each sentence's own end (the reverse direction starts there),
 * and pooling reads only the valid steps: a sentence scores the same alone and padded inside a
 * batch. Output: logits `[B, classes]`.
 */
export class SentimentClassifier extends Model {
  static override readonly className = 'SentimentClassifier';
  /** The architecture. */
  readonly spec: ClassifierConfig;
  /** Token id → vector. */
  readonly embedding: Embedding;
  /** The recurrent stack. */
  readonly rnn: RecurrentLayer;
  /** Dropout on the embeddings and on the pooled vector. */
  readonly drop: Dropout;
  /** Pooled vector → class logits. */
  readonly head: Dense;

  constructor(config: ClassifierConfig) {
    super({ ...config });
    this.spec = { ...config };
    const { vocabSize, embed, hidden, layers, cell, bidirectional, dropout, seed, classes } =
      config;
    this.embedding = this.register(
      'embedding',
      new Embedding({
        numEmbeddings: vocabSize,
        embeddingDim: embed,
        seed,
        embeddingsInitializer: 'glorotUniform',
        paddingIdx: PAD_ID,
      }),
    );
    const Rnn = cell === 'lstm' ? LSTM : GRU;
    this.rnn = this.register(
      'rnn',
      new Rnn({
        inputSize: embed,
        hiddenSize: hidden,
        numLayers: layers,
        bidirectional,
        dropout,
        seed: seed + 1,
      }),
    );
    this.drop = this.register('drop', new Dropout({ rate: dropout, seed: seed + 2 }));
    this.head = this.register(
      'head',
      new Dense({ inputSize: this.featureSize, units: classes, seed: seed + 3 }),
    );
  }

  /** Size of the pooled vector. */
  get featureSize(): number {
    return this.spec.hidden * (this.spec.bidirectional ? 2 : 1);
  }

  /** Logits `[B, classes]` of post-padded token ids `[B, T]`. */
  forward(input: ModelInput, options: ForwardOptions = {}): Tensor {
    if (!(input instanceof Tensor) || input.rank !== 2 || input.dtype !== 'int32') {
      throw new ValueError(
        `${this.name}.forward: argument 'input' must be int32 token ids [batch, steps], got ${input instanceof Tensor ? `${input.dtype} ${formatShape(input.shape)}` : 'an array'}`,
      );
    }
    const training = options.training ?? false;
    const embedded = this.embedding.apply(input);
    const lengths =
      sequenceLengthsOf(embedded) ?? new Int32Array(input.shape[0]).fill(input.shape[1]);
    const { output, hN } = this.rnn.forward(this.drop.apply(embedded, { training }), { training });
    const pooled = this.pool(output, hN, lengths);
    return this.head.apply(this.drop.apply(pooled, { training }));
  }

  private pool(output: Tensor, hN: Tensor, lens: Int32Array): Tensor {
    const [B, T] = output.shape;
    if (this.spec.pool === 'last') {
      const D = this.spec.bidirectional ? 2 : 1;
      const H = this.spec.hidden;
      const top = slice(hN, [(this.spec.layers - 1) * D, 0, 0], [D, B, H]);
      return reshape(transpose(top, [1, 0, 2]), [B, D * H]);
    }
    if (this.spec.pool === 'mean') {
      // padded steps output zeros, so the sum over all steps is the sum over the valid ones
      const counts = tensor(
        Float32Array.from(lens, (n) => Math.max(n, 1)),
        [B, 1],
      );
      return div(sum(output, 1), counts);
    }
    const fill = new Float32Array(B * T);
    for (let b = 0; b < B; b++) for (let t = lens[b]; t < T; t++) fill[b * T + t] = PAD_FILL;
    const masked = add(output, reshape(tensor(fill, [B, T]), [B, T, 1]));
    return max(masked, 1);
  }
}

registerLayer(
  SentimentClassifier.className,
  (cfg) => new SentimentClassifier(cfg as unknown as ClassifierConfig),
);
