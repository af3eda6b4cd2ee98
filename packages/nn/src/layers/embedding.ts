import {
  type ApplyOptions,
  DTypeError,
  gather,
  type LayerConfig,
  type Random,
  Tensor,
  ValueError,
} from '@rnnkit/core';
import { checkInitializer, type Initializer, initialTensor, resolveRng } from '../initializers.js';
import { BaseLayer, checkFloatDType, checkPositiveInt, uniqueName } from './base.js';

/** Options of {@link Embedding}. */
export interface EmbeddingOptions {
  /** Vocabulary size: indices must lie in `[0, numEmbeddings)`. */
  numEmbeddings: number;
  /** Size of each embedding vector. */
  embeddingDim: number;
  /** Parameter dtype (default `'float32'`). */
  dtype?: 'float32' | 'float64';
  /** Seeds the initialisation. */
  seed?: number;
  /** Generator to initialise from (takes precedence over `seed`; default the global one). */
  rng?: Random;
  /** Initialiser of the table (default `'normal'`, N(0, 1), as `torch.nn.Embedding`). */
  embeddingsInitializer?: Initializer;
  /** Instance name. */
  name?: string;
}

/**
 * A lookup table: int32 indices of any shape `S` → vectors `[...S, embeddingDim]`.
 * Parameter: `weight [numEmbeddings, embeddingDim]` (PyTorch's name);
 * `paramCount() = numEmbeddings·embeddingDim`. Out-of-range indices are a `ValueError`.
 * @example
 * ```ts
 * const embed = new Embedding({ numEmbeddings: 1000, embeddingDim: 32, seed: 0 });
 * const vectors = embed.apply(tensor([[1, 5, 9]], [1, 3], 'int32')); // [1, 3, 32]
 * check(vectors.shape, [1, 3, 32]);
 * check(embed.paramCount(), 1000 * 32);
 * ```
 */
export class Embedding extends BaseLayer<Tensor, Tensor> {
  /** Vocabulary size. */
  readonly numEmbeddings: number;
  /** Vector size. */
  readonly embeddingDim: number;
  private readonly options: EmbeddingOptions;

  constructor(options: EmbeddingOptions) {
    if (options === null || typeof options !== 'object')
      throw new ValueError(`Embedding: options must be an object, got ${String(options)}`);
    super(options.name ?? uniqueName('embedding'), checkFloatDType('Embedding', options.dtype));
    this.numEmbeddings = checkPositiveInt('Embedding', 'numEmbeddings', options.numEmbeddings);
    this.embeddingDim = checkPositiveInt('Embedding', 'embeddingDim', options.embeddingDim);
    checkInitializer('Embedding', 'embeddingsInitializer', options.embeddingsInitializer);
    this.options = { ...options };
    const rng = resolveRng('Embedding', options.seed, options.rng);
    const shape = [this.numEmbeddings, this.embeddingDim];
    const ctx = {
      shape,
      fanIn: this.numEmbeddings,
      fanOut: this.embeddingDim,
      gates: 1,
      uniformBound: 1,
    };
    this.addParameter(
      'weight',
      initialTensor(options.embeddingsInitializer ?? 'normal', ctx, rng, this.dtype),
    );
  }

  /** Looks up int32 `indices` of any shape. */
  apply(indices: Tensor, _options?: ApplyOptions): Tensor {
    this.assertNotDisposed();
    if (!(indices instanceof Tensor)) {
      throw new ValueError(
        `${this.name}.apply: argument 'indices' must be an int32 Tensor, got ${typeof indices}`,
      );
    }
    if (indices.dtype !== 'int32') {
      throw new DTypeError(
        `${this.name}.apply: argument 'indices' must be int32, got ${indices.dtype}`,
      );
    }
    const values = indices.dataSync();
    for (let i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] >= this.numEmbeddings) {
        throw new ValueError(
          `${this.name}.apply: argument 'indices' holds ${values[i]} at flat index ${i}; expected a value in [0, ${this.numEmbeddings - 1}]`,
        );
      }
    }
    return gather(this.param('weight'), indices, 0);
  }

  /** `{className: 'Embedding', config: {...options}}` (without `rng`). */
  getConfig(): LayerConfig {
    const { rng: _rng, ...rest } = this.options;
    return { className: 'Embedding', config: { ...rest, dtype: this.dtype, name: this.name } };
  }
}
