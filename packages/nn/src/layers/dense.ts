/**
 * The `Dense` layer: a linear map with an optional activation.
 */
import {
  type ApplyOptions,
  add,
  DTypeError,
  formatShape,
  type LayerConfig,
  matMul,
  type Random,
  relu,
  reshape,
  ShapeError,
  sigmoid,
  softmax,
  Tensor,
  tanh,
  tidy,
  ValueError,
} from '@rnnkit/core';
import { checkInitializer, type Initializer, initialTensor, resolveRng } from '../initializers.js';
import { BaseLayer, checkFloatDType, checkOneOf, checkPositiveInt, uniqueName } from './base.js';
import { passLengths, type SequenceOptions } from './sequence_input.js';

/** Activations {@link Dense} can apply. `softmax` runs over the last axis. */
export type DenseActivation = 'linear' | 'tanh' | 'relu' | 'sigmoid' | 'softmax';

const ACTIVATIONS: readonly DenseActivation[] = ['linear', 'tanh', 'relu', 'sigmoid', 'softmax'];

/** Options of {@link Dense}. */
export interface DenseOptions {
  /** Size of the last axis of the input. */
  inputSize: number;
  /** Number of output features. */
  units: number;
  /** Applied after the affine map (default `'linear'`). */
  activation?: DenseActivation;
  /** Add a bias (default true). */
  useBias?: boolean;
  /** Parameter dtype (default `'float32'`). */
  dtype?: 'float32' | 'float64';
  /** Seeds the initialisation. */
  seed?: number;
  /** Generator to initialise from (takes precedence over `seed`; default the global one). */
  rng?: Random;
  /** Weight initialiser (default `'pytorchUniform'`: ±1/√inputSize, as `torch.nn.Linear`). */
  kernelInitializer?: Initializer;
  /** Bias initialiser (default `'pytorchUniform'`: ±1/√inputSize). */
  biasInitializer?: Initializer;
  /** Instance name. */
  name?: string;
}

/**
 * A fully connected layer, `y = activation(x Wᵀ + b)`, applied to the last axis of an input of
 * any rank ≥ 1. Parameters are PyTorch `Linear`'s: `weight [units, inputSize]`, `bias [units]`.
 * `paramCount() = units·inputSize + units` (without the bias term when `useBias` is false).
 * @example
 * ```ts
 * const head = new Dense({ inputSize: 64, units: 10, activation: 'softmax', seed: 0 });
 * const features = randomNormal([2, 5, 64]);
 * const probs = head.apply(features); // [..., 64] -> [..., 10]
 * check(probs.shape, [2, 5, 10]);
 * check(sum(probs, -1), ones([2, 5])); // softmax over the last axis
 * ```
 */
export class Dense extends BaseLayer<Tensor, Tensor> {
  /** Input features. */
  readonly inputSize: number;
  /** Output features. */
  readonly units: number;
  /** Activation. */
  readonly activation: DenseActivation;
  /** Whether there is a bias. */
  readonly useBias: boolean;
  private readonly options: DenseOptions;

  constructor(options: DenseOptions) {
    if (options === null || typeof options !== 'object')
      throw new ValueError(`Dense: options must be an object, got ${String(options)}`);
    super(options.name ?? uniqueName('dense'), checkFloatDType('Dense', options.dtype));
    this.inputSize = checkPositiveInt('Dense', 'inputSize', options.inputSize);
    this.units = checkPositiveInt('Dense', 'units', options.units);
    this.activation = checkOneOf('Dense', 'activation', options.activation, ACTIVATIONS, 'linear');
    this.useBias = options.useBias ?? true;
    checkInitializer('Dense', 'kernelInitializer', options.kernelInitializer);
    checkInitializer('Dense', 'biasInitializer', options.biasInitializer);
    this.options = { ...options };
    const rng = resolveRng('Dense', options.seed, options.rng);
    const bound = 1 / Math.sqrt(this.inputSize);
    const ctx = { fanIn: this.inputSize, fanOut: this.units, gates: 1, uniformBound: bound };
    this.addParameter(
      'weight',
      initialTensor(
        options.kernelInitializer ?? 'pytorchUniform',
        { ...ctx, shape: [this.units, this.inputSize] },
        rng,
        this.dtype,
      ),
    );
    if (this.useBias) {
      this.addParameter(
        'bias',
        initialTensor(
          options.biasInitializer ?? 'pytorchUniform',
          { ...ctx, shape: [this.units] },
          rng,
          this.dtype,
        ),
      );
    }
  }

  /** `[..., inputSize]` → `[..., units]`; a sequence's lengths (see `sequenceLengthsOf`) pass through. */
  apply(x: Tensor, options?: ApplyOptions & SequenceOptions): Tensor {
    this.assertNotDisposed();
    if (!(x instanceof Tensor))
      throw new ValueError(`${this.name}.apply: argument 'x' must be a Tensor, got ${typeof x}`);
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.inputSize) {
      throw new ShapeError(
        `${this.name}.apply: argument 'x' must have shape [..., ${this.inputSize}], got ${formatShape(x.shape)}`,
      );
    }
    if (x.dtype !== this.dtype)
      throw new DTypeError(
        `${this.name}.apply: argument 'x' must be ${this.dtype}, got ${x.dtype}`,
      );
    return passLengths(this.name, x, this.compute(x), options);
  }

  private compute(x: Tensor): Tensor {
    return tidy(() => {
      const lead = x.shape.slice(0, -1);
      let y = matMul(reshape(x, [-1, this.inputSize]), this.param('weight'), { transposeB: true });
      if (this.useBias) y = add(y, this.param('bias'));
      y = reshape(y, [...lead, this.units]);
      switch (this.activation) {
        case 'tanh':
          return tanh(y);
        case 'relu':
          return relu(y);
        case 'sigmoid':
          return sigmoid(y);
        case 'softmax':
          return softmax(y);
        default:
          return y;
      }
    });
  }

  /** `{className: 'Dense', config: {...options}}` (without `rng` or initialiser functions). */
  getConfig(): LayerConfig {
    const { rng: _rng, ...rest } = this.options;
    return {
      className: 'Dense',
      config: {
        ...rest,
        activation: this.activation,
        useBias: this.useBias,
        dtype: this.dtype,
        name: this.name,
      },
    };
  }
}
