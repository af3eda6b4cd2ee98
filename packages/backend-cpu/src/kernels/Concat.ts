/**
 * The `Concat` kernel of the cpu backend (one file per kernel).
 */
import type { KernelFunc } from '@rnnkit/core';
import { concatOutShape, splitAtAxis, typedArrayFor } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';

/**
 * Joins along `axis`. Seen as `[outer, extent * inner]` matrices, every input contributes one
 * contiguous run per outer row, so the copy is a sequence of `set` calls.
 */
export const concat: KernelFunc<'Concat', CpuBackend> = ({ xs }, { axis }, backend) => {
  const first = xs[0];
  const shape = concatOutShape(
    xs.map((x) => x.shape),
    axis,
  );
  const { outer, extent: total, inner } = splitAtAxis(shape, axis);
  const rowLength = total * inner;
  const ys = typedArrayFor(first.dtype, outer * rowLength);
  let column = 0;
  for (const x of xs) {
    const values = backend.values(x);
    const run = x.shape[axis] * inner;
    for (let o = 0; o < outer; o++) {
      ys.set(values.subarray(o * run, (o + 1) * run), o * rowLength + column);
    }
    column += run;
  }
  return { y: backend.make(ys, shape, first.dtype) };
};
