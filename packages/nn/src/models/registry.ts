/**
 * The layer registry: class names to factories, for rebuilding from configurations.
 */
import { type Layer, type LayerConfig, ValueError } from '@rnnkit/core';
import { Bidirectional } from '../layers/bidirectional.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { Embedding } from '../layers/embedding.js';
import { GRU } from '../layers/gru.js';
import { LSTM } from '../layers/lstm.js';
import type { RecurrentLayer } from '../layers/recurrent.js';
import { SimpleRNN } from '../layers/simple_rnn.js';

// biome-ignore lint/suspicious/noExplicitAny: layers of any input/output type live in one registry
export type AnyLayer = Layer<any, any>;

/** Rebuilds a layer or model from the `config` part of its {@link LayerConfig}. */
export type LayerFactory = (config: Record<string, unknown>) => AnyLayer;

const factories = new Map<string, LayerFactory>();

/**
 * Registers a class under the `className` its `getConfig()` reports, so saved models that
 * contain it can be rebuilt ({@link layerFromConfig}, `loadModel`). Built-in layers and
 * `Sequential` are registered already; register your own `Model` subclasses.
 * @example
 * ```ts
 * interface ScaledOptions { units: number; scale: number }
 * class Scaled extends Model {
 *   static override readonly className = 'Scaled';
 *   readonly dense: Dense;
 *   constructor(options: ScaledOptions) {
 *     super({ ...options });
 *     this.dense = this.register('dense', new Dense({ inputSize: 2, units: options.units }));
 *   }
 *   forward(x: Tensor) {
 *     return mul(this.dense.apply(x), this.config.scale as number);
 *   }
 * }
 * registerLayer('Scaled', (config) => new Scaled(config as unknown as ScaledOptions));
 * const model = new Scaled({ units: 3, scale: 2 });
 * const copy = deserialize<Scaled>(serialize(model)); // rebuilt through the registry
 * check(copy.apply(ones([1, 2])), model.apply(ones([1, 2])));
 * check(registeredLayers().includes('Scaled'), true);
 * ```
 */
export function registerLayer(className: string, factory: LayerFactory): void {
  if (typeof className !== 'string' || className.length === 0)
    throw new ValueError('registerLayer: className must be a non-empty string');
  factories.set(className, factory);
}

/** Class names that {@link layerFromConfig} can rebuild. */
export function registeredLayers(): string[] {
  return [...factories.keys()].sort();
}

/** Rebuilds a layer (or model) from its `getConfig()` output; weights are freshly initialised. */
export function layerFromConfig(config: LayerConfig): AnyLayer {
  if (config === null || typeof config !== 'object' || typeof config.className !== 'string') {
    throw new ValueError(
      `layerFromConfig: expected {className, config}, got ${JSON.stringify(config)}`,
    );
  }
  const factory = factories.get(config.className);
  if (!factory) {
    throw new ValueError(
      `layerFromConfig: unknown class '${config.className}'; registered: ${registeredLayers().join(', ')}. Register it with registerLayer()`,
    );
  }
  return factory({ ...(config.config ?? {}) });
}

/** Drops config entries that only describe custom initialisers (they cannot be rebuilt; weights are loaded anyway). */
function withoutCustomInitializers(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config))
    if (!(k.endsWith('Initializer') && v === 'custom') && v !== undefined) out[k] = v;
  return out;
}

/** A layer constructor; its options are checked by the layer itself. */
type LayerCtor = new (options: never) => AnyLayer;

const rebuild =
  (ctor: LayerCtor): LayerFactory =>
  (config) =>
    new ctor(withoutCustomInitializers(config) as never);

registerLayer('LSTM', rebuild(LSTM));
registerLayer('GRU', rebuild(GRU));
registerLayer('SimpleRNN', rebuild(SimpleRNN));
registerLayer('Dense', rebuild(Dense));
registerLayer('Embedding', rebuild(Embedding));
registerLayer('Dropout', rebuild(Dropout));
registerLayer('Bidirectional', (config) => {
  const inner = layerFromConfig(config.layer as LayerConfig) as RecurrentLayer;
  return new Bidirectional(inner, {
    mergeMode: config.mergeMode as never,
    name: config.name as string | undefined,
  });
});
