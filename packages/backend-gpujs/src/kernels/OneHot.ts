// The OneHot kernel: one row of `depth` per int32 index.
import type { KernelFunc } from '@rnnkit/core';
import { DTypeError, sizeOf } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { kernelSource, unravel } from '../codegen.js';

/** One-hot rows of int32 indices; out-of-range indices give a zero row. */
export const oneHot: KernelFunc<'OneHot', GpujsBackend> = (
  { indices },
  { depth, dtype },
  backend,
) => {
  if (!backend.dtypes.includes(dtype)) {
    throw new DTypeError(`gpujs backend: OneHot to '${dtype}' is not supported`);
  }
  const shape = [...indices.shape, depth];
  const size = sizeOf(shape);
  if (size === 0) return { y: backend.empty(shape, dtype) };
  const count = sizeOf(indices.shape);
  const value = backend.run(
    `onehot:${count}x${depth}`,
    size,
    () => {
      const { code, coords } = unravel('i', [count, depth], 'o');
      return kernelSource(
        ['idx'],
        [code, `return idx[${coords[0]}] == ${coords[1]} ? 1.0 : 0.0;`].join('\n'),
      );
    },
    [backend.value(indices)],
  );
  return { y: backend.make(value, shape, dtype) };
};
