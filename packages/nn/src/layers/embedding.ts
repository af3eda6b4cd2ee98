/**
 * The `Embedding` layer: rows of a table by index, with an optional padding index.
 */
import {
  type ApplyOptions,
  DTypeError,
  expandDims,
  gather,
  type LayerConfig,
  mul,
  type Random,
  Tensor,
  tensor,
  tidy,
  ValueError,
} from '@rnnkit/core';
import { checkInitializer, type Initializer, initialValues, resolveRng } from '../initializers.js';
import { BaseLayer, checkFloatDType, checkPositiveInt, uniqueName } from './base.js';
import { carryLengths, passLengths, type SequenceOptions } from './sequence_input.js';

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
  /**
   * The index that marks padding, as PyTorch's `padding_idx` (a negative value counts from the
   * end, `-1` is `numEmbeddings − 1`). Its row starts at zero, its positions embed to zeros and
   * it receives no gradient; and for `[B, T]` indices the layer's output carries each row's
   * valid length (the steps before the first padding), which the next recurrent layer uses, in
   * `Sequential` and in any `Model`. Keras' `mask_zero=True` is `paddingIdx: 0` (with index 0
   * reserved for padding, as there). Padding must come last in each row (post-padding).
   */
  paddingIdx?: number;
}

/** Per-call options of {@link Embedding.apply}: explicit lengths override the padding's. */
export interface EmbeddingApplyOptions extends ApplyOptions, SequenceOptions {}

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
  /** The padding index (normalised to `[0, numEmbeddings)`), or undefined. */
  readonly paddingIdx: number | undefined;
  private readonly options: EmbeddingOptions;

  constructor(options: EmbeddingOptions) {
    if (options === null || typeof options !== 'object')
      throw new ValueError(`Embedding: options must be an object, got ${String(options)}`);
    super(options.name ?? uniqueName('embedding'), checkFloatDType('Embedding', options.dtype));
    this.numEmbeddings = checkPositiveInt('Embedding', 'numEmbeddings', options.numEmbeddings);
    this.embeddingDim = checkPositiveInt('Embedding', 'embeddingDim', options.embeddingDim);
    checkInitializer('Embedding', 'embeddingsInitializer', options.embeddingsInitializer);
    this.paddingIdx = checkPaddingIdx(this.numEmbeddings, options.paddingIdx);
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
    const values = initialValues(options.embeddingsInitializer ?? 'normal', ctx, rng);
    if (this.paddingIdx !== undefined) {
      const D = this.embeddingDim;
      values.fill(0, this.paddingIdx * D, (this.paddingIdx + 1) * D);
    }
    this.addParameter('weight', tensor(values, shape, this.dtype));
  }

  /**
   * Looks up int32 `indices` of any shape. With `paddingIdx`, padded positions give zeros and
   * a `[B, T]` input's output carries the valid lengths (or the `lengths`/`mask` given here).
   */
  apply(indices: Tensor, options?: EmbeddingApplyOptions): Tensor {
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
    const pad = this.paddingIdx;
    if (pad === undefined) return passLengths(this.name, indices, this.lookup(indices), options);
    const keepMask = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) keepMask[i] = values[i] === pad ? 0 : 1;
    const out = tidy(() =>
      // multiplying by the mask (not only zeroing the row) keeps the padding row's gradient 0
      mul(
        this.lookup(indices),
        expandDims(tensor(keepMask, indices.shape, this.dtype), indices.rank),
      ),
    );
    if (options?.lengths !== undefined || options?.mask !== undefined || indices.rank !== 2)
      return passLengths(this.name, indices, out, options);
    const found = paddedLengths(this.name, values, indices.shape[0], indices.shape[1], pad);
    return carryLengths(out, found.lengths, found.problem);
  }

  private lookup(indices: Tensor): Tensor {
    return gather(this.param('weight'), indices, 0);
  }

  /** `{className: 'Embedding', config: {...options}}` (without `rng`). */
  getConfig(): LayerConfig {
    const { rng: _rng, ...rest } = this.options;
    return { className: 'Embedding', config: { ...rest, dtype: this.dtype, name: this.name } };
  }
}

function checkPaddingIdx(n: number, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -n || value >= n) {
    throw new ValueError(
      `Embedding: option 'paddingIdx' must be an integer in [${-n}, ${n - 1}], got ${String(value)}`,
    );
  }
  return value < 0 ? value + n : value;
}

/**
 * Each row's valid length (the steps before its first padding token), or the problem when a
 * row has a real token after padding (the recurrent layers need post-padding).
 */
function paddedLengths(
  owner: string,
  values: ArrayLike<number>,
  B: number,
  T: number,
  pad: number,
): { lengths?: Int32Array; problem?: string } {
  const lengths = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    let len = 0;
    while (len < T && values[b * T + len] !== pad) len++;
    for (let t = len + 1; t < T; t++) {
      if (values[b * T + t] !== pad) {
        return {
          problem: `${owner}: row ${b} of the indices has token ${values[b * T + t]} at step ${t} after the padding index ${pad} at step ${len}; pad at the end of each sequence (post-padding) for the recurrent layers to skip the padding`,
        };
      }
    }
    lengths[b] = len;
  }
  return { lengths };
}
