/**
 * Reading logits (a tensor or an array) as rows of numbers for sampling.
 */
import { formatShape, ShapeError, Tensor } from '@rnnkit/core';

/** Logits for one distribution: a rank-1 tensor or an array of numbers. */
export type LogitsLike = Tensor | ArrayLike<number>;

/** Reads logits into a Float64Array (one row). */
export function logitsRow(logits: LogitsLike, fn: string): Float64Array {
  if (logits instanceof Tensor) {
    if (logits.rank !== 1)
      throw new ShapeError(`${fn}: logits must have shape [V], got ${formatShape(logits.shape)}`);
    return Float64Array.from(logits.dataSync());
  }
  return Float64Array.from(logits);
}

/** Reads `[B, V]` logits (a tensor or rows) into rows. */
export function logitsRows(
  logits: Tensor | readonly ArrayLike<number>[],
  fn: string,
): Float64Array[] {
  if (logits instanceof Tensor) {
    if (logits.rank !== 2)
      throw new ShapeError(
        `${fn}: logits must have shape [B, V], got ${formatShape(logits.shape)}`,
      );
    const [B, V] = logits.shape;
    const flat = logits.dataSync();
    return Array.from({ length: B }, (_, b) =>
      Float64Array.from(flat.subarray(b * V, (b + 1) * V)),
    );
  }
  return logits.map((r) => Float64Array.from(r));
}

/** Stable log-softmax of one row (max subtracted before `exp`). Idempotent on log-probabilities. */
export function logSoftmaxRow(row: Float64Array): Float64Array {
  let m = Number.NEGATIVE_INFINITY;
  for (const v of row) if (v > m) m = v;
  let s = 0;
  for (const v of row) s += Math.exp(v - m);
  const lse = m + Math.log(s);
  return row.map((v) => v - lse);
}
