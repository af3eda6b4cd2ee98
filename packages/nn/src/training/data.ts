/**
 * Batching of training inputs: rows, lengths and the batches `fit` walks through.
 */
import {
  formatShape,
  gather,
  ShapeError,
  slice,
  type Tensor,
  tensor,
  ValueError,
} from '@rnnkit/core';
import { lengthValues } from '../layers/sequence_input.js';

/** Input of a model: one tensor or several (all sharing the batch axis 0). */
export type BatchInput = Tensor | readonly Tensor[];

/**
 * Options of `fit`, `evaluate` and `predict` that describe the valid steps of the (first)
 * input `[N, T, …]`, given to the model's `forward` batch by batch as `lengths`.
 */
export interface InputLengthOptions {
  /** Valid steps of each input sample: int32 `[N]` tensor or array, each in `[0, T]`. */
  lengths?: Tensor | readonly number[];
  /** `[N, T]` 0/1 prefix mask of the input, an alternative to `lengths`. */
  inputMask?: Tensor;
}

/** The checked host lengths of {@link InputLengthOptions} for `n` samples of `x`, or undefined. */
export function inputLengths(
  owner: string,
  x: BatchInput,
  n: number,
  options: InputLengthOptions,
): Int32Array | undefined {
  if (options.lengths === undefined && options.inputMask === undefined) return undefined;
  const first = Array.isArray(x) ? (x as readonly Tensor[])[0] : (x as Tensor);
  if (first.rank < 2)
    throw new ShapeError(
      `${owner}: options 'lengths'/'inputMask' need a sequence input [N, T, …], got x of shape ${formatShape(first.shape)}`,
    );
  return lengthValues(owner, n, first.shape[1], options.lengths, options.inputMask);
}

/** The `lengths` forward option of one batch, or undefined. */
export function batchLengths(
  lengths: Int32Array | undefined,
  rows: readonly number[],
): number[] | undefined {
  return lengths ? rows.map((r) => lengths[r]) : undefined;
}

/** The common number of samples (axis 0) of `x`, `y` and an optional mask. */
export function sampleCount(owner: string, x: BatchInput, y?: Tensor, mask?: Tensor): number {
  const xs = Array.isArray(x) ? (x as readonly Tensor[]) : [x as Tensor];
  if (xs.length === 0) throw new ValueError(`${owner}: argument 'x' holds no tensors`);
  const first = Array.isArray(x) ? 'x[0]' : 'x';
  if (xs[0].rank === 0)
    throw new ShapeError(`${owner}: ${first} is a scalar; inputs need samples on axis 0`);
  const n = xs[0].shape[0];
  const all = [
    ...xs.map((t, i) => [Array.isArray(x) ? `x[${i}]` : 'x', t] as const),
    ...(y ? [['y', y] as const] : []),
    ...(mask ? [['mask', mask] as const] : []),
  ];
  for (const [name, t] of all) {
    if (t.rank === 0 || t.shape[0] !== n) {
      throw new ShapeError(
        t.rank === 0
          ? `${owner}: ${name} is a scalar but ${first} has ${n} samples on axis 0`
          : `${owner}: ${name} has ${t.shape[0]} samples on axis 0 (shape ${formatShape(t.shape)}) but ${first} has ${n}`,
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
