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
 * const twin = modelFromConfig(model.getConfig());
 * twin.loadStateDict(model.stateDict());
 * ```
 */
export function modelFromConfig(config: LayerConfig): AnyLayer {
  return layerFromConfig(config);
}
