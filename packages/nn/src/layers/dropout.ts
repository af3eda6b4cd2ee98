/**
 * Inverted dropout: the `dropout` function and the `Dropout` layer.
 */
import {
  type ApplyOptions,
  type LayerConfig,
  mul,
  type Random,
  Tensor,
  tensor,
  typedArrayFor,
  ValueError,
} from '@rnnkit/core';
import { resolveRng } from '../initializers.js';
import { BaseLayer, uniqueName } from './base.js';
import { passLengths, type SequenceOptions } from './sequence_input.js';

/**
 * Inverted dropout of `x`: each element is zeroed with probability `rate` and the survivors are
 * scaled by `1/(1-rate)`. The mask is drawn in JavaScript from `rng` and uploaded, so the same
 * generator state gives the same mask on every backend. `rate = 1` zeroes everything.
 */
export function dropout(x: Tensor, rate: number, rng: Random): Tensor {
  if (x.dtype === 'int32')
    throw new ValueError(`dropout: argument 'x' must be a float tensor, got int32`);
  const keep = 1 - rate;
  const scale = keep > 0 ? 1 / keep : 0;
  const mask = typedArrayFor(x.dtype, x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < keep ? scale : 0;
  const m = tensor(mask, x.shape, x.dtype);
  const y = mul(x, m);
  m.dispose();
  return y;
}

/** Checks a dropout rate in [0, 1], naming the option on failure. */
export function checkRate(
  owner: string,
  option: string,
  rate: unknown,
  max1Inclusive: boolean,
): number {
  if (typeof rate !== 'number' || !(rate >= 0) || (max1Inclusive ? rate > 1 : rate >= 1)) {
    throw new ValueError(
      `${owner}: option '${option}' must be a number in [0, 1${max1Inclusive ? ']' : ')'}, got ${String(rate)}`,
    );
  }
  return rate;
}

/** Options of {@link Dropout}. */
export interface DropoutOptions {
  /** Probability of zeroing each element, in [0, 1]. */
  rate: number;
  /** Seeds the layer's own generator. */
  seed?: number;
  /** A generator to draw masks from (takes precedence over `seed`; default the global one). */
  rng?: Random;
  /** Instance name. */
  name?: string;
}

/**
 * Inverted dropout: the identity unless `training` is true, when each element is zeroed with
 * probability `rate` and survivors are scaled by `1/(1-rate)`. Masks come from a seeded
 * generator, so runs are reproducible. When not training, `apply` returns its input itself.
 * @example
 * ```ts
 * const drop = new Dropout({ rate: 0.5, seed: 1 });
 * const x = ones([4, 4]);
 * const y = drop.apply(x, { training: true }); // each element 0, or 1 / (1 - 0.5) = 2
 * check(Array.from(y.dataSync()).every((v) => v === 0 || v === 2), true);
 * check(drop.apply(x) === x, true); // not training: the input itself
 * ```
 */
export class Dropout extends BaseLayer<Tensor, Tensor> {
  /** Drop probability. */
  readonly rate: number;
  private readonly rng: Random;
  private readonly options: DropoutOptions;

  constructor(options: DropoutOptions) {
    if (options === null || typeof options !== 'object')
      throw new ValueError(`Dropout: options must be an object, got ${String(options)}`);
    super(options.name ?? uniqueName('dropout'), 'float32');
    this.rate = checkRate('Dropout', 'rate', options.rate, true);
    this.rng = resolveRng('Dropout', options.seed, options.rng);
    this.options = { ...options };
  }

  /** Applies dropout when `options.training` is true; otherwise returns `x` unchanged. */
  apply(x: Tensor, options: ApplyOptions & SequenceOptions = {}): Tensor {
    if (!(x instanceof Tensor))
      throw new ValueError(`${this.name}.apply: argument 'x' must be a Tensor, got ${typeof x}`);
    if (!options.training || this.rate === 0) return passLengths(this.name, x, x, options);
    return passLengths(this.name, x, dropout(x, this.rate, this.rng), options);
  }

  /** `{className: 'Dropout', config: {rate, seed, name}}`. */
  getConfig(): LayerConfig {
    return {
      className: 'Dropout',
      config: { rate: this.rate, seed: this.options.seed, name: this.name },
    };
  }
}
