/**
 * The float typed arrays the cpu kernels compute in, by dtype.
 */
import type { DType } from '@rnnkit/core';
import { DTypeError } from '@rnnkit/core';

/** The typed arrays float kernels compute in. */
export type FloatArray = Float32Array | Float64Array;

/** A zeroed float array of `dtype`; `int32` is a caller bug, since float kernels never see it. */
export function floatArrayFor(dtype: DType, size: number): FloatArray {
  if (dtype === 'float32') return new Float32Array(size);
  if (dtype === 'float64') return new Float64Array(size);
  throw new DTypeError(`cpu backend: a float kernel received dtype ${dtype}`);
}

/** A zeroed array of `size` elements of the same float type as `like`. */
export function zerosLike(like: FloatArray, size: number): FloatArray {
  return like instanceof Float64Array ? new Float64Array(size) : new Float32Array(size);
}
