// The ArgMax kernel: index of the first largest value along one axis.
import type { KernelFunc } from '@rnnkit/core';
import { reduceOutShape, splitAtAxis } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { dotIndex, kernelSource, unravel } from '../codegen.js';

/** Index of the first largest value along `axis` (the first NaN counts as largest). */
export const argMax: KernelFunc<'ArgMax', GpujsBackend> = ({ x }, { axis }, backend) => {
  const shape = reduceOutShape(x.shape, [axis], false);
  const { outer, extent, inner } = splitAtAxis(x.shape, axis);
  const size = outer * inner;
  if (size === 0) return { y: backend.empty(shape, 'int32') };
  if (extent === 0) return { y: backend.filledTensor(shape, 'int32', 0) };
  const value = backend.run(
    `argmax:${outer}x${extent}x${inner}`,
    size,
    () => {
      const { code, coords } = unravel('i', [outer, inner], 'o');
      return kernelSource(
        ['a'],
        [
          code,
          `const base = ${dotIndex(coords, [extent * inner, 1])};`,
          'let best = a[base];',
          'let at = 0.0;',
          'let pos = 0.0;',
          `for (let r = 1; r < ${extent}; r++) {`,
          '  pos = pos + 1.0;',
          `  const v = a[base + r * ${inner}];`,
          '  if (best == best && (v > best || v != v)) { best = v; at = pos; }',
          '}',
          'return at;',
        ].join('\n'),
      );
    },
    [backend.value(x)],
  );
  return { y: backend.make(value, shape, 'int32') };
};
