/**
 * Learning-rate schedules: constant, step, exponential, cosine, warm-up.
 */
import { ValueError } from '@rnnkit/core';

/**
 * A learning-rate schedule: the learning rate of update number `step` (0 for the first
 * update). Schedules count optimizer updates (batches), not epochs; pass
 * `stepSize: epochs * batchesPerEpoch` to decay per epoch.
 */
export type LearningRateSchedule = (step: number) => number;

function positive(fn: string, name: string, v: number): void {
  if (!(Number.isFinite(v) && v > 0))
    throw new ValueError(`${fn}: option '${name}' must be a positive number, got ${v}`);
}

/** A constant learning rate. */
export function constantLR(lr: number): LearningRateSchedule {
  positive('constantLR', 'lr', lr);
  return () => lr;
}

/**
 * PyTorch's `StepLR`: `lr · gamma^floor(step / stepSize)`.
 * @example
 * ```ts
 * new Adam({ lr: stepLR({ lr: 1e-3, stepSize: 1000, gamma: 0.5 }) });
 * ```
 */
export function stepLR(options: {
  lr: number;
  stepSize: number;
  gamma?: number;
}): LearningRateSchedule {
  const { lr, stepSize, gamma = 0.1 } = options;
  positive('stepLR', 'lr', lr);
  positive('stepLR', 'stepSize', stepSize);
  return (step) => lr * gamma ** Math.floor(step / stepSize);
}

/** PyTorch's `ExponentialLR`: `lr · gamma^step`. */
export function exponentialLR(options: { lr: number; gamma: number }): LearningRateSchedule {
  positive('exponentialLR', 'lr', options.lr);
  positive('exponentialLR', 'gamma', options.gamma);
  return (step) => options.lr * options.gamma ** step;
}

/**
 * PyTorch's `CosineAnnealingLR` (closed form, one half-period):
 * `minLr + (lr − minLr) · (1 + cos(π · min(step, totalSteps) / totalSteps)) / 2`.
 */
export function cosineLR(options: {
  lr: number;
  totalSteps: number;
  minLr?: number;
}): LearningRateSchedule {
  const { lr, totalSteps, minLr = 0 } = options;
  positive('cosineLR', 'lr', lr);
  positive('cosineLR', 'totalSteps', totalSteps);
  return (step) =>
    minLr +
    ((lr - minLr) * (1 + Math.cos((Math.PI * Math.min(step, totalSteps)) / totalSteps))) / 2;
}

/**
 * Linear warm-up in front of another schedule (PyTorch's `LinearLR` factor chained with it):
 * `base(step) · (startFactor + (1 − startFactor) · min(step, warmupSteps) / warmupSteps)`.
 * @param base - a schedule or a constant learning rate.
 */
export function warmupLR(
  base: LearningRateSchedule | number,
  options: { warmupSteps: number; startFactor?: number },
): LearningRateSchedule {
  const { warmupSteps, startFactor = 0.1 } = options;
  positive('warmupLR', 'warmupSteps', warmupSteps);
  if (!(startFactor >= 0 && startFactor <= 1))
    throw new ValueError(`warmupLR: option 'startFactor' must be in [0, 1], got ${startFactor}`);
  const schedule = typeof base === 'number' ? constantLR(base) : base;
  return (step) =>
    schedule(step) *
    (startFactor + ((1 - startFactor) * Math.min(step, warmupSteps)) / warmupSteps);
}
