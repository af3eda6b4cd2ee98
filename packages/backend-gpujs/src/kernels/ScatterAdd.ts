// The ScatterAdd kernel: slices added into zeros at indices along one axis.
import type { KernelFunc } from '@rnnkit/core';
import { sizeOf, splitAtAxis } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { dotIndex, kernelSource, unravel } from '../codegen.js';

/**
 * The adjoint of Gather: each output element sums the update slices whose index points at it
 * (one pass over the indices per element, so no atomics and a deterministic order).
 */
export const scatterAdd: KernelFunc<'ScatterAdd', GpujsBackend> = (
  { updates, indices },
  { axis, shape },
  backend,
) => {
  const size = sizeOf(shape);
  if (size === 0) return { y: backend.empty(shape, updates.dtype) };
  const count = sizeOf(indices.shape);
  if (count === 0) return { y: backend.filledTensor(shape, updates.dtype, 0) };
  const { outer, extent, inner } = splitAtAxis(shape, axis);
  const value = backend.run(
    `scatteradd:${outer}x${extent}x${inner}:${count}`,
    size,
    () => {
      const { code, coords } = unravel('i', [outer, extent, inner], 'o');
      const [o, at, n] = coords;
      return kernelSource(
        ['u', 'idx'],
        [
          code,
          `const base = ${dotIndex([o, n], [count * inner, 1])};`,
          'let s = 0.0;',
          `for (let q = 0; q < ${count}; q++) {`,
          `  if (idx[q] == ${at}) { s = s + u[base + q * ${inner}]; }`,
          '}',
          'return s;',
        ].join('\n'),
      );
    },
    [backend.value(updates), backend.value(indices)],
  );
  return { y: backend.make(value, shape, updates.dtype) };
};
