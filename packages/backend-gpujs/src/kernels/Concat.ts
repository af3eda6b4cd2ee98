// The Concat kernel: joins tensors along an axis.
import type { KernelFunc } from '@rnnkit/core';
import { concatOutShape, sizeOf, splitAtAxis } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { concatColumns } from './util/concat.js';

/** Joins tensors along `axis`. */
export const concat: KernelFunc<'Concat', GpujsBackend> = ({ xs }, { axis }, backend) => {
  const first = xs[0];
  const shape = concatOutShape(
    xs.map((x) => x.shape),
    axis,
  );
  if (sizeOf(shape) === 0) return { y: backend.empty(shape, first.dtype) };
  const { outer, inner } = splitAtAxis(first.shape, axis);
  const value = concatColumns(
    backend,
    xs.map((x) => backend.value(x)),
    xs.map((x) => x.shape[axis] * inner),
    outer,
  );
  return { y: backend.make(value, shape, first.dtype) };
};
