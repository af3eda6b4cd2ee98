/**
 * Loss functions: softmax cross-entropy (integer and soft labels), binary cross-entropy on
 * logits and mean squared error, each with masks for padded steps and optional weights.
 * @module
 */

export type { BinaryCrossEntropyOptions } from './binary_cross_entropy.js';
export { binaryCrossEntropyWithLogits } from './binary_cross_entropy.js';
export type { CrossEntropyOptions } from './cross_entropy.js';
export { categoricalCrossEntropy, sparseCategoricalCrossEntropy } from './cross_entropy.js';
export { meanSquaredError } from './mean_squared_error.js';
export type { LossOptions, Reduction } from './reduction.js';
export type { LossFn, LossName } from './registry.js';
export { getLoss, LOSS_NAMES } from './registry.js';
