/**
 * Reductions: `sum`, `mean`, `max`, `min`, `argMax`, `logSumExp`.
 */
import { ENGINE } from '../engine.js';
import { DTypeError } from '../errors.js';
import type { ReduceOp } from '../kernel_names.js';
import type { Tensor } from '../tensor.js';
import { add, div, exp, log, sub } from './elementwise.js';
import { reshape } from './shape.js';
import { normalizeAxes, normalizeAxis } from './util.js';

function reduce(
  op: ReduceOp,
  x: Tensor,
  axis: number | readonly number[] | undefined,
  keepDims: boolean,
): Tensor {
  const axes = normalizeAxes(op, axis, x.rank);
  return ENGINE.runKernel('Reduce', { x }, { op, axes, keepDims }).y;
}

/** Sum over `axis` (all axes by default). */
export function sum(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  return reduce('sum', x, axis, keepDims);
}

/** Maximum over `axis` (all axes by default). */
export function max(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  return reduce('max', x, axis, keepDims);
}

/** Minimum over `axis` (all axes by default). */
export function min(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  return reduce('min', x, axis, keepDims);
}

/** Mean over `axis` (all axes by default). */
export function mean(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  if (x.dtype === 'int32')
    throw new DTypeError(`mean: argument 'x' must be a float tensor, got int32`);
  const axes = normalizeAxes('mean', axis, x.rank);
  const count = axes.reduce((n, a) => n * x.shape[a], 1);
  return div(reduce('sum', x, axes, keepDims), count);
}

/** Index of the maximum along `axis` (last by default), as int32. */
export function argMax(x: Tensor, axis = -1): Tensor {
  return ENGINE.runKernel('ArgMax', { x }, { axis: normalizeAxis('argMax', 'axis', axis, x.rank) })
    .y;
}

/** `log(sum(exp(x)))` over `axis`, computed stably. */
export function logSumExp(x: Tensor, axis?: number | readonly number[], keepDims = false): Tensor {
  const axes = normalizeAxes('logSumExp', axis, x.rank);
  return ENGINE.tidy(() => {
    const m = max(x, axes, true);
    const shifted = exp(sub(x, m));
    const lse = add(log(sum(shifted, axes, true)), m);
    return keepDims
      ? lse
      : reshape(
          lse,
          x.shape.filter((_, i) => !axes.includes(i)),
        );
  });
}
