/**
 * Optimizers with PyTorch's update rules (SGD with momentum/Nesterov, Adam, AdamW, RMSprop,
 * Adagrad), learning-rate schedules and gradient clipping. Updates run on the backend.
 * @module
 */

export type { AdagradOptions } from './adagrad.js';
export { Adagrad } from './adagrad.js';
export type { AdamOptions } from './adam.js';
export { Adam, AdamW } from './adam.js';
export { clipByGlobalNorm, clipByValue } from './clipping.js';
export type { OptimizerOptions, OptimizerState, SlotValue, UpdateContext } from './optimizer.js';
export { Optimizer } from './optimizer.js';
export type { OptimizerName } from './registry.js';
export { getOptimizer } from './registry.js';
export type { RMSpropOptions } from './rmsprop.js';
export { RMSprop } from './rmsprop.js';
export type { LearningRateSchedule } from './schedules.js';
export { constantLR, cosineLR, exponentialLR, stepLR, warmupLR } from './schedules.js';
export type { SGDOptions } from './sgd.js';
export { SGD } from './sgd.js';
