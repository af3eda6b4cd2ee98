/**
 * `Sequential`: a model made of a list of layers.
 */
import { type LayerConfig, type Tensor, ValueError } from '@rnnkit/core';
import { type ForwardOptions, Model, type ModelInput, type Module } from './model.js';
import { layerFromConfig, registerLayer } from './registry.js';

/** Options of {@link Sequential}. */
export interface SequentialOptions {
  /** Instance name (default `'sequential'`). */
  name?: string;
}

/**
 * A stack of layers applied one after another; parameters are named by position like
 * PyTorch's `nn.Sequential` (`0.weight_ih_l0`, `2.weight`, …). A layer that returns several
 * tensors (`returnState`) passes on its first.
 * @example
 * ```ts
 * const model = new Sequential([
 *   new Embedding({ numEmbeddings: 100, embeddingDim: 16, seed: 0 }),
 *   new LSTM({ inputSize: 16, hiddenSize: 32, returnSequences: false, seed: 0 }),
 *   new Dense({ inputSize: 32, units: 2, seed: 0 }),
 * ]);
 * model.compile({ optimizer: new Adam(), loss: 'sparseCategoricalCrossEntropy', metrics: ['accuracy'] });
 * const x = tensor(Int32Array.from({ length: 8 * 5 }, (_, i) => (i * 37) % 100), [8, 5]); // token ids
 * const y = tensor([0, 1, 0, 1, 0, 1, 0, 1], [8], 'int32');
 * await model.fit(x, y, { epochs: 5, verbose: 0 });
 * check(model.predict(x).shape, [8, 2]);
 * check([...model.namedParameters().keys()].slice(0, 2), ['0.weight', '1.weight_ih_l0']); // by position
 * ```
 */
export class Sequential extends Model {
  static override readonly className = 'Sequential';
  private readonly stack: Module[] = [];

  constructor(layers: readonly Module[] = [], options: SequentialOptions = {}) {
    super({ name: options.name ?? 'sequential' });
    for (const layer of layers) this.add(layer);
  }

  /** Appends a layer (named by its position). */
  add(layer: Module): this {
    if (layer === null || typeof layer !== 'object' || typeof layer.apply !== 'function') {
      throw new ValueError(
        `${this.name}.add: argument 'layer' must be a layer, got ${String(layer)}`,
      );
    }
    this.register(String(this.stack.length), layer);
    this.stack.push(layer);
    return this;
  }

  /** The layers, in order. */
  get layers(): readonly Module[] {
    return [...this.stack];
  }

  /**
   * Applies each layer to the previous one's output. `lengths` / `mask` go to the first layer;
   * from there the valid lengths flow on to the next recurrent layer (as do those of an
   * `Embedding` with `paddingIdx`).
   */
  forward(input: ModelInput, options: ForwardOptions = {}): Tensor {
    if (this.stack.length === 0) throw new ValueError(`${this.name}: the model has no layers`);
    const training = options.training ?? false;
    let x: unknown = input;
    this.stack.forEach((layer, i) => {
      const sequence = i === 0 ? { lengths: options.lengths, mask: options.mask } : {};
      const out = layer.apply(x, { training, ...sequence });
      x = Array.isArray(out) ? out[0] : out;
    });
    return x as Tensor;
  }

  /** The last layer (or the last layer of a nested model that knows its own). */
  protected override outputLayer(): Module | undefined {
    const last = this.stack.at(-1);
    return last instanceof Sequential ? last.outputLayer() : last;
  }

  /** `{className: 'Sequential', config: {name, layers: [each layer's config]}}`. */
  override getConfig(): LayerConfig {
    return {
      className: 'Sequential',
      config: { name: this.name, layers: this.stack.map((l) => l.getConfig()) },
    };
  }

  /** Rebuilds a Sequential (fresh weights) from {@link Sequential.getConfig}'s `config`. */
  static fromConfig(config: Record<string, unknown>): Sequential {
    const layers = config.layers;
    if (!Array.isArray(layers))
      throw new ValueError("Sequential.fromConfig: 'layers' must be an array of layer configs");
    return new Sequential(
      layers.map((c) => layerFromConfig(c as LayerConfig)),
      { name: typeof config.name === 'string' ? config.name : undefined },
    );
  }
}

registerLayer('Sequential', (config) => Sequential.fromConfig(config));
