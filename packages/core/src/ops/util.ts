/**
 * Argument helpers of the ops: broadcasting, axis normalisation and shape checks with errors that
 * name the op.
 */
import { formatShape, ShapeError, ValueError } from '../errors.js';
import type { Shape } from '../types.js';

/** NumPy broadcasting of two shapes; throws a ShapeError naming `op` when they are incompatible. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together (axis ${i}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * The axes of `outShape` along which an input of shape `inShape` was broadcast; summing the
 * output gradient over them (then reshaping) gives the input's gradient.
 */
export function broadcastAxes(inShape: Shape, outShape: Shape): number[] {
  const axes: number[] = [];
  const offset = outShape.length - inShape.length;
  for (let i = 0; i < outShape.length; i++) {
    const d = i < offset ? 1 : inShape[i - offset];
    if (d === 1 && outShape[i] !== 1) axes.push(i);
    else if (i < offset) axes.push(i);
  }
  return axes;
}

/** Resolves a possibly negative axis against `rank`, naming `op` and `arg` on error. */
export function normalizeAxis(op: string, arg: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new ValueError(
      `${op}: argument '${arg}' must be an integer in [${-rank}, ${rank - 1}], got ${axis}`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** Resolves axes (undefined: all), sorted and unique. */
export function normalizeAxes(
  op: string,
  axes: number | readonly number[] | undefined,
  rank: number,
): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const resolved = list.map((a) => normalizeAxis(op, 'axis', a, rank));
  return [...new Set(resolved)].sort((a, b) => a - b);
}

/** Checks that every entry of a shape is a non-negative integer. */
export function assertValidShape(op: string, arg: string, shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ValueError(
        `${op}: argument '${arg}' must be a shape of non-negative integers, got ${formatShape(shape)}`,
      );
    }
  }
}
