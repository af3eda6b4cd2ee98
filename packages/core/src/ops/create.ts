/**
 * Tensor creation: `tensor`, `scalar`, `fill`, `zeros`, `ones` and their `*Like` forms.
 */
import { ENGINE } from '../engine.js';
import { DTypeError, formatShape, ShapeError, ValueError } from '../errors.js';
import type { Random } from '../random.js';
import { globalRandom } from '../random.js';
import type { Tensor, Variable } from '../tensor.js';
import type { DType, Shape, TypedArray } from '../types.js';
import { sizeOf, typedArrayFor } from '../types.js';
import { assertValidShape } from './util.js';

/** Values accepted by {@link tensor}: a number, nested arrays of numbers, or a typed array. */
export type TensorLike = number | readonly TensorLike[] | TypedArray | readonly number[];

/**
 * Creates a tensor on the active backend.
 *
 * @param values - a number, nested arrays, or a flat (typed) array with `shape` given.
 * @param shape - required for flat arrays of rank ≠ 1; checked against nested arrays.
 * @param dtype - defaults to the typed array's dtype, else `float32`.
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]); // float32 [2, 2]
 * const idx = tensor([0, 2, 1], [3], 'int32');
 * const rows = tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]); // flat values + shape
 * check([x.dtype, x.shape], ['float32', [2, 2]]);
 * check(idx.dtype, 'int32');
 * check(rows.arraySync(), [[1, 2, 3], [4, 5, 6]]);
 * ```
 */
export function tensor(values: TensorLike, shape?: Shape, dtype?: DType): Tensor {
  const inferredDType: DType =
    dtype ??
    (values instanceof Float64Array
      ? 'float64'
      : values instanceof Int32Array
        ? 'int32'
        : 'float32');
  const flat: number[] | TypedArray = ArrayBuffer.isView(values)
    ? (values as TypedArray)
    : flatten(values);
  const inferredShape = ArrayBuffer.isView(values) ? [flat.length] : inferShape(values);
  const finalShape = shape ?? inferredShape;
  assertValidShape('tensor', 'shape', finalShape);
  if (sizeOf(finalShape) !== flat.length) {
    throw new ShapeError(
      `tensor: argument 'values' has ${flat.length} elements but shape ${formatShape(finalShape)} needs ${sizeOf(finalShape)}`,
    );
  }
  const data = typedArrayFor(inferredDType, flat.length);
  data.set(flat as ArrayLike<number>);
  if (inferredDType === 'int32') {
    for (let i = 0; i < flat.length; i++) {
      if (!Number.isInteger(flat[i])) {
        throw new DTypeError(
          `tensor: an int32 tensor needs integers, got ${flat[i]} at flat index ${i}`,
        );
      }
    }
  }
  return ENGINE.upload(data, finalShape, inferredDType);
}

/** A rank-0 tensor. */
export function scalar(value: number, dtype: DType = 'float32'): Tensor {
  return tensor([value], [], dtype);
}

/** A tensor of `shape` filled with `value`. */
export function fill(shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
  assertValidShape('fill', 'shape', shape);
  return ENGINE.filled(shape, dtype, value);
}

/** A tensor of zeros. */
export function zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
  return fill(shape, 0, dtype);
}

/** A tensor of ones. */
export function ones(shape: Shape, dtype: DType = 'float32'): Tensor {
  return fill(shape, 1, dtype);
}

/** Zeros shaped and typed like `x`. */
export function zerosLike(x: Tensor): Tensor {
  return zeros(x.shape, x.dtype);
}

/** Ones shaped and typed like `x`. */
export function onesLike(x: Tensor): Tensor {
  return ones(x.shape, x.dtype);
}

/** Uniform random values in `[low, high)` from a seeded generator (the global one by default). */
export function randomUniform(
  shape: Shape,
  low = 0,
  high = 1,
  dtype: DType = 'float32',
  rng: Random = globalRandom(),
): Tensor {
  assertValidShape('randomUniform', 'shape', shape);
  const data = typedArrayFor(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * rng.next();
  return ENGINE.upload(data, shape, dtype);
}

/** Normal random values with the given mean and standard deviation from a seeded generator. */
export function randomNormal(
  shape: Shape,
  mean = 0,
  stddev = 1,
  dtype: DType = 'float32',
  rng: Random = globalRandom(),
): Tensor {
  assertValidShape('randomNormal', 'shape', shape);
  const data = typedArrayFor(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = mean + stddev * rng.normal();
  return ENGINE.upload(data, shape, dtype);
}

/**
 * A trainable (by default) variable initialised with `initial`'s value.
 * @example
 * ```ts
 * const w = variable(randomNormal([3, 3]), 'w');
 * w.assign(zeros([3, 3]));
 * check(w, [[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
 * check([w.name, w.trainable], ['w', true]);
 * ```
 */
export function variable(initial: Tensor, name = 'variable', trainable = true): Variable {
  return ENGINE.makeVariable(initial, name, trainable);
}

function inferShape(values: TensorLike): number[] {
  if (typeof values === 'number') return [];
  if (!Array.isArray(values) && !ArrayBuffer.isView(values)) {
    throw new ValueError(
      `tensor: argument 'values' must be a number or an array, got ${typeof values}`,
    );
  }
  const list = values as readonly TensorLike[];
  if (list.length === 0) return [0];
  return [list.length, ...inferShape(list[0])];
}

function flatten(values: TensorLike, out: number[] = [], path = 'values'): number[] {
  if (typeof values === 'number') {
    out.push(values);
    return out;
  }
  if (ArrayBuffer.isView(values)) {
    for (const v of values as TypedArray) out.push(v);
    return out;
  }
  if (!Array.isArray(values))
    throw new ValueError(`tensor: ${path} must be a number or an array, got ${typeof values}`);
  const list = values as readonly TensorLike[];
  const firstIsArray = list.length > 0 && typeof list[0] !== 'number';
  const firstLength = firstIsArray ? (list[0] as readonly TensorLike[]).length : -1;
  list.forEach((v, i) => {
    if (
      (typeof v !== 'number') !== firstIsArray ||
      (firstIsArray && (v as readonly TensorLike[]).length !== firstLength)
    ) {
      throw new ShapeError(
        `tensor: ragged nested array at ${path}[${i}]; every row must have the same length`,
      );
    }
    flatten(v, out, `${path}[${i}]`);
  });
  return out;
}
