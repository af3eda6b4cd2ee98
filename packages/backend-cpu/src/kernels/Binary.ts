/**
 * The `Binary` kernel of the cpu backend and the scalar function of each binary op (one file per
 * kernel).
 */
import type { BinaryOp, KernelFunc } from '@rnnkit/core';
import { broadcastStrides, sizeOf, typedArrayFor } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import { stridedOffsets } from './util/strided.js';

/** The scalar function behind each {@link BinaryOp}; comparisons give 1 or 0. */
export const BINARY_FUNCTIONS: Readonly<Record<BinaryOp, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: Math.max,
  minimum: Math.min,
  pow: Math.pow,
  equal: (a, b) => (a === b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
};

/**
 * Element-wise function of two tensors broadcast to `shape`. Operands that already have the
 * output's size (or are scalars) are read directly; only true broadcasts pay for an offset table.
 */
export const binary: KernelFunc<'Binary', CpuBackend> = ({ a, b }, { op, shape }, backend) => {
  const f = BINARY_FUNCTIONS[op];
  const as = backend.values(a);
  const bs = backend.values(b);
  const size = sizeOf(shape);
  const ys = typedArrayFor(a.dtype, size);
  if (as.length === size && bs.length === size) {
    for (let i = 0; i < size; i++) ys[i] = f(as[i], bs[i]);
  } else if (as.length === size && bs.length === 1) {
    const bv = bs[0];
    for (let i = 0; i < size; i++) ys[i] = f(as[i], bv);
  } else if (as.length === 1 && bs.length === size) {
    const av = as[0];
    for (let i = 0; i < size; i++) ys[i] = f(av, bs[i]);
  } else {
    const aAt = stridedOffsets(shape, broadcastStrides(a.shape, shape));
    const bAt = stridedOffsets(shape, broadcastStrides(b.shape, shape));
    for (let i = 0; i < size; i++) ys[i] = f(as[aAt[i]], bs[bAt[i]]);
  }
  return { y: backend.make(ys, shape, a.dtype) };
};
