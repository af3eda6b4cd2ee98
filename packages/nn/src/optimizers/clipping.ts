/**
 * Gradient clipping by global norm and by value.
 */
import { add, div, maximum, minimum, mul, sqrt, square, sum, type Tensor } from '@rnnkit/core';

/**
 * Scales gradients so their global L2 norm is at most `maxNorm` (PyTorch's
 * `clip_grad_norm_`): `total = √(Σ‖g‖²)`, `coef = min(1, maxNorm / (total + 1e-6))`, `g · coef`.
 * Runs on the backend; nothing is read back. Returns new tensors and the (unclipped) norm.
 * @example
 * ```ts
 * const grads = [tensor([3, 0]), tensor([4])];
 * const { grads: clipped, norm } = clipByGlobalNorm(grads, 1.0);
 * check(norm, 5);
 * check(clipped[0], [0.6, 0]); // every gradient scaled by 1 / 5
 * ```
 */
export function clipByGlobalNorm(
  grads: readonly Tensor[],
  maxNorm: number,
): { grads: Tensor[]; norm: Tensor } {
  let total: Tensor | undefined;
  for (const g of grads) {
    const s = sum(square(g));
    total = total ? add(total, s) : s;
  }
  if (!total) throw new Error('clipByGlobalNorm: no gradients');
  const norm = sqrt(total);
  const coef = minimum(div(maxNorm, add(norm, 1e-6)), 1);
  return { grads: grads.map((g) => mul(g, coef)), norm };
}

/** Clamps every gradient element to `[-clipValue, clipValue]` (PyTorch's `clip_grad_value_`). */
export function clipByValue(grads: readonly Tensor[], clipValue: number): Tensor[] {
  return grads.map((g) => minimum(maximum(g, -clipValue), clipValue));
}
