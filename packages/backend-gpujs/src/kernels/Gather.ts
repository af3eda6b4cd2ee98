// The Gather kernel: slices selected by int32 indices along one axis.
import type { KernelFunc } from '@rnnkit/core';
import { gatherOutShape, sizeOf, splitAtAxis } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { dotIndex, int, kernelSource, unravel } from '../codegen.js';

/** Slices of `x` along `axis` at int32 `indices`. */
export const gather: KernelFunc<'Gather', GpujsBackend> = ({ x, indices }, { axis }, backend) => {
  const shape = gatherOutShape(x.shape, indices.shape, axis);
  const size = sizeOf(shape);
  if (size === 0) return { y: backend.empty(shape, x.dtype) };
  const { outer, extent, inner } = splitAtAxis(x.shape, axis);
  const count = sizeOf(indices.shape);
  const value = backend.run(
    `gather:${outer}x${extent}x${inner}:${count}`,
    size,
    () => {
      const { code, coords } = unravel('i', [outer, count, inner], 'o');
      const [o, q, n] = coords;
      return kernelSource(
        ['a', 'idx'],
        [
          code,
          `const at = idx[${q}];`,
          `return a[${dotIndex([o, n], [extent * inner, 1])} + at * ${int(inner)}];`,
        ].join('\n'),
      );
    },
    [backend.value(x), backend.value(indices)],
  );
  return { y: backend.make(value, shape, x.dtype) };
};
