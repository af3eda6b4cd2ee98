/**
 * Saving, loading and importing weights. Pure functions only (browser-safe); file I/O lives
 * in `@rnnkit/nn/node`.
 * @module
 */

export { crc32 } from './crc32.js';
export type { FetchLike } from './fetch.js';
export { loadModelFromUrl } from './fetch.js';
export type {
  KerasArray,
  KerasBidirectionalWeights,
  KerasCell,
  KerasRnnWeights,
} from './keras_import.js';
export { kerasToPytorch, loadKerasWeights } from './keras_import.js';
export type { ModelManifest, WeightEntry } from './manifest.js';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION, validateManifest } from './manifest.js';
export type { OnnxExportable, OnnxExportOptions } from './onnx.js';
export { exportOnnx, ONNX_OPSET } from './onnx.js';
export { decodeOptimizerState, encodeOptimizerState } from './optimizer_state.js';
export type { LoadSafetensorsOptions, StateDictTarget } from './pytorch_import.js';
export { loadSafetensors, safetensorsToStateDict } from './pytorch_import.js';
export type { SafetensorsDType, SafetensorsInput, SafetensorsTensor } from './safetensors.js';
export { readSafetensors, writeSafetensors } from './safetensors.js';
export type { ModelArtifacts, Saveable } from './serialize.js';
export {
  CONTAINER_MAGIC,
  CONTAINER_VERSION,
  decodeContainer,
  deserialize,
  encodeContainer,
  fromArtifacts,
  loadWeightsInto,
  serialize,
  toArtifacts,
} from './serialize.js';
