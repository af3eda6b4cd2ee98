/**
 * Tensor round trips for the cpu backend's tests: test-utils' helpers with float64, the reference
 * precision, as the default dtype.
 */
import type { Backend, DType, Shape, TensorInfo } from '@rnnkit/core';
import { put as putAs } from '@rnnkit/test-utils';

export { expectClose, get } from '@rnnkit/test-utils';

/**
 * Writes `values` to `backend` as a kernel input: `float64`, the reference precision these
 * tests run in, unless `dtype` says otherwise.
 */
export function put(
  backend: Backend,
  values: ArrayLike<number>,
  shape: Shape,
  dtype: DType = 'float64',
): TensorInfo {
  return putAs(backend, values, shape, dtype);
}
