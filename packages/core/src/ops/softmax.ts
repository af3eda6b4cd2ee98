/** Softmax and log-softmax over any axis (the kernels work on the last one). */
import { ENGINE } from '../engine.js';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { transpose } from './shape.js';

function checkLogits(op: string, x: Tensor, axis: number): number {
  if (x.dtype === 'int32')
    throw new DTypeError(`${op}: argument 'logits' must be a float tensor, got int32`);
  if (x.rank === 0)
    throw new ShapeError(`${op}: argument 'logits' must have at least one axis, got a scalar`);
  if (!Number.isInteger(axis) || axis < -x.rank || axis >= x.rank)
    throw new ValueError(
      `${op}: argument 'axis' must be an integer in [${-x.rank}, ${x.rank - 1}] for logits of rank ${x.rank}, got ${axis}`,
    );
  return axis < 0 ? axis + x.rank : axis;
}

/** Runs a last-axis kernel along `axis` by swapping that axis with the last one around it. */
function alongAxis(x: Tensor, axis: number, run: (t: Tensor) => Tensor): Tensor {
  const last = x.rank - 1;
  if (axis === last) return run(x);
  const perm = Array.from({ length: x.rank }, (_, i) => i);
  perm[axis] = last;
  perm[last] = axis;
  return transpose(run(transpose(x, perm)), perm);
}

/**
 * Softmax along `axis` (default −1, the last), as `torch.softmax(x, dim)` / `tf.softmax`.
 * @example
 * ```ts
 * const logits = tensor([[1, 2], [3, 5]]);
 * check(sum(softmax(logits), -1), [1, 1]); // each row sums to 1
 * check(sum(softmax(logits, 0), 0), [1, 1]); // along axis 0, each column does
 * ```
 */
export function softmax(logits: Tensor, axis = -1): Tensor {
  const a = checkLogits('softmax', logits, axis);
  return alongAxis(logits, a, (t) => ENGINE.runKernel('Softmax', { x: t }, {}).y);
}

/** Log-softmax along `axis` (default −1, the last), computed stably. */
export function logSoftmax(logits: Tensor, axis = -1): Tensor {
  const a = checkLogits('logSoftmax', logits, axis);
  return alongAxis(logits, a, (t) => ENGINE.runKernel('LogSoftmax', { x: t }, {}).y);
}
