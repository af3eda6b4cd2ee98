/**
 * The `Reduce` kernel of the cpu backend (one file per kernel).
 */
import type { KernelFunc, ReduceOp } from '@rnnkit/core';
import { reduceOutShape, sizeOf, stridesOf, typedArrayFor } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import { stridedOffsets } from './util/strided.js';

const INITIAL_VALUE: Readonly<Record<ReduceOp, number>> = {
  sum: 0,
  max: Number.NEGATIVE_INFINITY,
  min: Number.POSITIVE_INFINITY,
};

/**
 * Reduces over `axes`. Each input element is folded into the output element it maps to (the
 * output's strides with 0 on reduced axes), in float64 so float32 sums do not lose precision to
 * intermediate rounding. `max`/`min` propagate NaN, as `Math.max`/`Math.min` do.
 */
export const reduce: KernelFunc<'Reduce', CpuBackend> = (
  { x },
  { op, axes, keepDims },
  backend,
) => {
  const xs = backend.values(x);
  const reduced = new Set(axes);
  const keptShape = reduceOutShape(x.shape, axes, true);
  const outShape = keepDims ? keptShape : reduceOutShape(x.shape, axes, false);
  const keptStrides = stridesOf(keptShape);
  const target = stridedOffsets(
    x.shape,
    keptStrides.map((stride, axis) => (reduced.has(axis) ? 0 : stride)),
  );
  const acc = new Float64Array(sizeOf(outShape)).fill(INITIAL_VALUE[op]);
  if (op === 'sum') {
    for (let i = 0; i < xs.length; i++) acc[target[i]] += xs[i];
  } else if (op === 'max') {
    for (let i = 0; i < xs.length; i++) acc[target[i]] = Math.max(acc[target[i]], xs[i]);
  } else {
    for (let i = 0; i < xs.length; i++) acc[target[i]] = Math.min(acc[target[i]], xs[i]);
  }
  const ys = typedArrayFor(x.dtype, acc.length);
  ys.set(acc);
  return { y: backend.make(ys, outShape, x.dtype) };
};
