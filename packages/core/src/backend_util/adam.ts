/**
 * The scalar coefficients of one Adam step, shared by every backend's `AdamUpdate`.
 */
import type { AdamAttrs } from '../kernel_names.js';

/**
 * The scalar coefficients of one `AdamUpdate` step, computed in float64 exactly as nn's
 * composed Adam computes them, so that every backend multiplies by the same numbers. With
 * these, the kernel's element-wise update reads (in this order of operations):
 * ```
 * p ← p · decay                                   (only when decay ≠ 1)
 * g ← g + p · l2                                  (only when l2 ≠ 0)
 * m' ← m · beta1 + g · oneMinusBeta1
 * v' ← v · beta2 + (g · g) · oneMinusBeta2
 * p' ← p − (m' / (√v' / sqrtBc2 + eps)) · stepSize
 * ```
 */
export interface AdamCoefficients {
  /** β₁. */
  beta1: number;
  /** `1 − β₁`. */
  oneMinusBeta1: number;
  /** β₂. */
  beta2: number;
  /** `1 − β₂`. */
  oneMinusBeta2: number;
  /** ε. */
  eps: number;
  /** `√(1 − β₂ᵗ)`, the square root of the second moment's bias correction. */
  sqrtBc2: number;
  /** `lr / (1 − β₁ᵗ)`, the learning rate over the first moment's bias correction. */
  stepSize: number;
  /** Adam's L2 coefficient added to the gradient: `wd` unless decoupled, else 0. */
  l2: number;
  /** AdamW's parameter factor `1 − lr·wd` when decoupled, else 1. */
  decay: number;
}

/**
 * The {@link AdamCoefficients} of `attrs`.
 *
 * @example
 * ```ts
 * const attrs = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.5, step: 1 };
 * check(adamCoefficients({ ...attrs, decoupled: false }), { stepSize: 1, l2: 0.5, decay: 1 });
 * check(adamCoefficients({ ...attrs, decoupled: true }), { l2: 0, decay: 0.95 });
 * ```
 */
export function adamCoefficients(attrs: AdamAttrs): AdamCoefficients {
  const { lr, beta1, beta2, eps, weightDecay: wd, decoupled, step } = attrs;
  return {
    beta1,
    oneMinusBeta1: 1 - beta1,
    beta2,
    oneMinusBeta2: 1 - beta2,
    eps,
    sqrtBc2: Math.sqrt(1 - beta2 ** step),
    stepSize: lr / (1 - beta1 ** step),
    l2: decoupled ? 0 : wd,
    decay: decoupled && wd !== 0 ? 1 - lr * wd : 1,
  };
}
