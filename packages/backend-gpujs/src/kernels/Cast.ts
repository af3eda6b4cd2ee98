// The Cast kernel: float32 <-> int32 conversions (int32 truncated like a typed-array store).
import type { DType, KernelFunc } from '@rnnkit/core';
import { DTypeError, sizeOf } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { kernelSource } from '../codegen.js';

/**
 * Converts between float32 and int32. float32 → int32 truncates toward zero (NaN, ±Infinity
 * → 0); every other conversion keeps the values, so the output aliases the input's texture.
 */
export const cast: KernelFunc<'Cast', GpujsBackend> = ({ x }, { dtype }, backend) => {
  if (!backend.dtypes.includes(dtype)) {
    throw new DTypeError(`gpujs backend: Cast to '${dtype}' is not supported`);
  }
  const size = sizeOf(x.shape);
  if (size === 0) return { y: backend.empty(x.shape, dtype) };
  if (x.dtype === 'int32' || dtype === 'float32') {
    return { y: backend.make(backend.alias(backend.value(x)), x.shape, dtype) };
  }
  const value = backend.run(
    `cast:int32:${size}`,
    size,
    () => kernelSource(['a'], 'return rkToInt(a[i]);'),
    [backend.value(x)],
  );
  return { y: backend.make(value, x.shape, dtype as DType) };
};
