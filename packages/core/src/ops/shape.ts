/**
 * Shape and data-movement ops: reshape, expandDims, squeeze, cast, slice, concat, stack, split,
 * transpose, reverse, pad, gather, scatterAdd, oneHot, clone.
 */
import { gatherOutShape } from '../backend_util/gather.js';
import { ENGINE } from '../engine.js';
import { DTypeError, formatShape, ShapeError, ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import type { DType, Shape } from '../types.js';
import { sizeOf } from '../types.js';
import { assertValidShape, normalizeAxes, normalizeAxis } from './util.js';

/**
 * The same values under a new shape of the same size (no copy). One entry may be -1 and is
 * inferred.
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  x.assertAlive("reshape: argument 'x'");
  const inferred = [...shape];
  const unknown = inferred.indexOf(-1);
  if (unknown >= 0) {
    const known = sizeOf(inferred.filter((_, i) => i !== unknown));
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError(
        `reshape: cannot infer -1 in ${formatShape(shape)} for a tensor of ${x.size} elements`,
      );
    }
    inferred[unknown] = x.size / known;
  }
  assertValidShape('reshape', 'shape', inferred);
  if (sizeOf(inferred) !== x.size) {
    throw new ShapeError(
      `reshape: argument 'shape' ${formatShape(shape)} has ${sizeOf(inferred)} elements, 'x' ${formatShape(x.shape)} has ${x.size}`,
    );
  }
  return ENGINE.view(x, inferred);
}

/** Inserts an axis of size 1 at `axis`. */
export function expandDims(x: Tensor, axis = 0): Tensor {
  const a = normalizeAxis('expandDims', 'axis', axis, x.rank + 1);
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/** Removes axes of size 1 (all of them, or those listed). */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  const axes =
    axis === undefined
      ? x.shape.flatMap((d, i) => (d === 1 ? [i] : []))
      : normalizeAxes('squeeze', axis, x.rank);
  for (const a of axes) {
    if (x.shape[a] !== 1)
      throw new ShapeError(
        `squeeze: axis ${a} of ${formatShape(x.shape)} has size ${x.shape[a]}, not 1`,
      );
  }
  return reshape(
    x,
    x.shape.filter((_, i) => !axes.includes(i)),
  );
}

/** A copy with another dtype (float → int32 truncates toward zero). */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return ENGINE.view(x, x.shape);
  return ENGINE.runKernel('Cast', { x }, { dtype }).y;
}

/**
 * The block starting at `begin` with `size` elements per axis (-1: to the end).
 * @example
 * ```ts
 * const x = tensor([[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]]);
 * const y = slice(x, [0, 2], [-1, 3]); // x[:, 2:5]
 * check(y, [[2, 3, 4], [8, 9, 10]]);
 * ```
 */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  if (begin.length !== x.rank) {
    throw new ShapeError(
      `slice: argument 'begin' must have ${x.rank} entries (rank of 'x'), got ${begin.length}`,
    );
  }
  const sizes = begin.map((b, i) => {
    const s = size?.[i] ?? -1;
    return s === -1 ? x.shape[i] - b : s;
  });
  begin.forEach((b, i) => {
    if (
      !Number.isInteger(b) ||
      b < 0 ||
      !Number.isInteger(sizes[i]) ||
      sizes[i] < 0 ||
      b + sizes[i] > x.shape[i]
    ) {
      throw new ShapeError(
        `slice: begin ${formatShape(begin)} with size ${formatShape(sizes)} is out of bounds on axis ${i} of ${formatShape(x.shape)}`,
      );
    }
  });
  return ENGINE.runKernel('Slice', { x }, { begin: [...begin], size: sizes }).y;
}

/** Joins tensors along `axis`. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new ValueError("concat: argument 'xs' must hold at least one tensor");
  const rank = xs[0].rank;
  const a = normalizeAxis('concat', 'axis', axis, rank);
  xs.forEach((t, i) => {
    if (t.dtype !== xs[0].dtype)
      throw new DTypeError(`concat: xs[${i}] is ${t.dtype}, xs[0] is ${xs[0].dtype}`);
    if (t.rank !== rank || t.shape.some((d, j) => j !== a && d !== xs[0].shape[j])) {
      throw new ShapeError(
        `concat: xs[${i}] has shape ${formatShape(t.shape)}, incompatible with xs[0] ${formatShape(xs[0].shape)} along axis ${a}`,
      );
    }
  });
  if (xs.length === 1) return ENGINE.view(xs[0], xs[0].shape);
  return ENGINE.runKernel('Concat', { xs: [...xs] }, { axis: a }).y;
}

/** Stacks equally shaped tensors along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new ValueError("stack: argument 'xs' must hold at least one tensor");
  const a = normalizeAxis('stack', 'axis', axis, xs[0].rank + 1);
  return concat(
    xs.map((t) => expandDims(t, a)),
    a,
  );
}

/** Splits along `axis` into pieces of the given sizes (or `n` equal pieces). */
export function split(x: Tensor, sizesOrCount: number | readonly number[], axis = 0): Tensor[] {
  const a = normalizeAxis('split', 'axis', axis, x.rank);
  const dim = x.shape[a];
  let sizes: number[];
  if (typeof sizesOrCount === 'number') {
    if (dim % sizesOrCount !== 0)
      throw new ShapeError(
        `split: axis ${a} of size ${dim} is not divisible into ${sizesOrCount} parts`,
      );
    sizes = new Array(sizesOrCount).fill(dim / sizesOrCount);
  } else {
    sizes = [...sizesOrCount];
    if (sizes.reduce((s, v) => s + v, 0) !== dim) {
      throw new ShapeError(
        `split: sizes ${formatShape(sizes)} do not add up to ${dim}, the size of axis ${a}`,
      );
    }
  }
  let offset = 0;
  return sizes.map((s) => {
    const begin = x.shape.map((_, i) => (i === a ? offset : 0));
    const size = x.shape.map((d, i) => (i === a ? s : d));
    offset += s;
    return slice(x, begin, size);
  });
}

/** Permutes axes (reverses them by default). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  if (p.length !== x.rank || [...p].sort((u, v) => u - v).some((v, i) => v !== i)) {
    throw new ValueError(
      `transpose: argument 'perm' must be a permutation of 0..${x.rank - 1}, got ${formatShape(p)}`,
    );
  }
  return ENGINE.runKernel('Transpose', { x }, { perm: [...p] }).y;
}

/** Reverses the order of elements along `axis` (all axes by default). */
export function reverse(x: Tensor, axis?: number | readonly number[]): Tensor {
  return ENGINE.runKernel('Reverse', { x }, { axes: normalizeAxes('reverse', axis, x.rank) }).y;
}

/** Pads each axis by `[before, after]` elements of `value`. */
export function pad(
  x: Tensor,
  paddings: readonly (readonly [number, number])[],
  value = 0,
): Tensor {
  if (
    paddings.length !== x.rank ||
    paddings.some(([b, e]) => !Number.isInteger(b) || !Number.isInteger(e) || b < 0 || e < 0)
  ) {
    throw new ValueError(
      `pad: argument 'paddings' must hold ${x.rank} pairs of non-negative integers`,
    );
  }
  return ENGINE.runKernel(
    'Pad',
    { x },
    { paddings: paddings.map(([b, e]) => [b, e] as const), value },
  ).y;
}

/**
 * Gathers slices along `axis` at int32 `indices` (an embedding lookup on axis 0).
 * Indices are checked on the host when they are small enough to read cheaply.
 */
export function gather(x: Tensor, indices: Tensor, axis = 0): Tensor {
  if (indices.dtype !== 'int32')
    throw new DTypeError(`gather: argument 'indices' must be int32, got ${indices.dtype}`);
  const a = normalizeAxis('gather', 'axis', axis, x.rank);
  assertIndicesInRange('gather', indices, x.shape[a]);
  return ENGINE.runKernel('Gather', { x, indices }, { axis: a }).y;
}

/** Adds slices of `updates` into zeros of `shape` at `indices` along `axis` (the adjoint of gather). */
export function scatterAdd(updates: Tensor, indices: Tensor, shape: Shape, axis = 0): Tensor {
  if (indices.dtype !== 'int32')
    throw new DTypeError(`scatterAdd: argument 'indices' must be int32, got ${indices.dtype}`);
  const a = normalizeAxis('scatterAdd', 'axis', axis, shape.length);
  const expected = gatherOutShape(shape, indices.shape, a);
  if (expected.length !== updates.rank || expected.some((d, i) => d !== updates.shape[i])) {
    throw new ShapeError(
      `scatterAdd: argument 'updates' must have shape ${formatShape(expected)}, got ${formatShape(updates.shape)}`,
    );
  }
  assertIndicesInRange('scatterAdd', indices, shape[a]);
  return ENGINE.runKernel('ScatterAdd', { updates, indices }, { axis: a, shape: [...shape] }).y;
}

/** One-hot rows of `depth` for int32 `indices`. */
export function oneHot(indices: Tensor, depth: number, dtype: DType = 'float32'): Tensor {
  if (indices.dtype !== 'int32')
    throw new DTypeError(`oneHot: argument 'indices' must be int32, got ${indices.dtype}`);
  if (!Number.isInteger(depth) || depth <= 0)
    throw new ValueError(`oneHot: argument 'depth' must be a positive integer, got ${depth}`);
  return ENGINE.runKernel('OneHot', { indices }, { depth, dtype }).y;
}

/** A new tensor with the same values (sharing storage; tensors are immutable). */
export function clone(x: Tensor): Tensor {
  return ENGINE.view(x, x.shape);
}

const MAX_CHECKED_INDICES = 1 << 16;

function assertIndicesInRange(op: string, indices: Tensor, limit: number): void {
  if (indices.size > MAX_CHECKED_INDICES) return;
  const values = indices.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (values[i] < 0 || values[i] >= limit) {
      throw new ValueError(
        `${op}: argument 'indices' holds ${values[i]} at flat index ${i}; expected a value in [0, ${limit - 1}]`,
      );
    }
  }
}
