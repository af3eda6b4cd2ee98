/**
 * Rebuilding a model or layer from its configuration.
 */
import type { LayerConfig } from '@rnnkit/core';
import { type AnyLayer, layerFromConfig } from './registry.js';
import { Sequential } from './sequential.js';

// Referencing Sequential keeps its module (and its registration) in every bundle that rebuilds models.
void Sequential;

/**
 * Rebuilds a model or layer from `getConfig()` output (fresh weights), using the class
 * registry: built-in layers, `Sequential`, and anything registered with `registerLayer`.
 * @example
 * ```ts
 * const model = new Sequential([
 *   new GRU({ inputSize: 3, hiddenSize: 4, returnSequences: false, seed: 0 }),
 *   new Dense({ inputSize: 4, units: 2, seed: 0 }),
 * ]);
 * const twin = modelFromConfig(model.getConfig()) as Sequential; // same architecture, fresh weights
 * twin.loadStateDict(model.stateDict());
 * const x = randomNormal([2, 5, 3]);
 * check(twin.apply(x), model.apply(x));
 * ```
 */
export function modelFromConfig(config: LayerConfig): AnyLayer {
  return layerFromConfig(config);
}
