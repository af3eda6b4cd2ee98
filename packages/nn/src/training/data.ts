import {
  formatShape,
  gather,
  ShapeError,
  slice,
  type Tensor,
  tensor,
  ValueError,
} from '@rnnkit/core';

/** Input of a model: one tensor or several (all sharing the batch axis 0). */
export type BatchInput = Tensor | readonly Tensor[];

/** The common number of samples (axis 0) of `x`, `y` and an optional mask. */
export function sampleCount(owner: string, x: BatchInput, y?: Tensor, mask?: Tensor): number {
  const xs = Array.isArray(x) ? (x as readonly Tensor[]) : [x as Tensor];
  if (xs.length === 0) throw new ValueError(`${owner}: argument 'x' holds no tensors`);
  const n = xs[0].shape[0];
  const all = [
    ...xs.map((t, i) => [`x[${i}]`, t] as const),
    ...(y ? [['y', y] as const] : []),
    ...(mask ? [['mask', mask] as const] : []),
  ];
  for (const [name, t] of all) {
    if (t.rank === 0 || t.shape[0] !== n) {
      throw new ShapeError(
        `${owner}: ${name} has shape ${formatShape(t.shape)}; every input needs ${n} samples on axis 0`,
      );
    }
  }
  return n;
}

function take(t: Tensor, rows: readonly number[]): Tensor {
  const contiguous = rows.every((r, i) => i === 0 || r === rows[i - 1] + 1);
  if (contiguous)
    return slice(
      t,
      [rows[0], ...t.shape.slice(1).map(() => 0)],
      [rows.length, ...t.shape.slice(1)],
    );
  const idx = tensor(Int32Array.from(rows), [rows.length], 'int32');
  const out = gather(t, idx, 0);
  idx.dispose();
  return out;
}

/** The rows `rows` of every tensor of `x` (slices when contiguous, gathers otherwise). */
export function takeRows<T extends BatchInput>(x: T, rows: readonly number[]): T {
  return (
    Array.isArray(x) ? (x as readonly Tensor[]).map((t) => take(t, rows)) : take(x as Tensor, rows)
  ) as T;
}

/** Disposes a batch made by {@link takeRows}. */
export function disposeBatch(x: BatchInput | undefined): void {
  if (!x) return;
  if (Array.isArray(x)) for (const t of x as readonly Tensor[]) t.dispose();
  else (x as Tensor).dispose();
}

/** Index ranges of consecutive batches over `order`; drops a short last batch when `dropRemainder`. */
export function batchesOf(
  order: readonly number[],
  batchSize: number,
  dropRemainder: boolean,
): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) {
    const b = order.slice(i, i + batchSize);
    if (b.length < batchSize && dropRemainder) break;
    out.push(b);
  }
  return out;
}
