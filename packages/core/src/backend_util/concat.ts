/**
 * The output shape of `Concat`, shared by every backend.
 */
import type { Shape } from '../types.js';

/**
 * Output shape of joining tensors of `shapes` along `axis`: the first shape with that axis
 * replaced by the sum of every input's extent along it. At least one shape.
 *
 * @example
 * ```ts
 * check(concatOutShape([[2, 3], [2, 5]], 1), [2, 8]);
 * ```
 */
export function concatOutShape(shapes: readonly Shape[], axis: number): number[] {
  let total = 0;
  for (const shape of shapes) total += shape[axis];
  return shapes[0].map((extent, d) => (d === axis ? total : extent));
}
