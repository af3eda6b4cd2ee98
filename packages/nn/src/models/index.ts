/**
 * Models: {@link Model} (free composition with `forward`), {@link Sequential}, and the class
 * registry behind `getConfig`/`fromConfig`.
 * @module
 */

export { modelFromConfig } from './from_config.js';
export type { ForwardOptions, ModelInput, Module } from './model.js';
export { Model } from './model.js';
export type { AnyLayer, LayerFactory } from './registry.js';
export { layerFromConfig, registeredLayers, registerLayer } from './registry.js';
export type { SequentialOptions } from './sequential.js';
export { Sequential } from './sequential.js';
