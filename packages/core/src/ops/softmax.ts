import { ENGINE } from '../engine.js';
import { DTypeError, ShapeError } from '../errors.js';
import type { Tensor } from '../tensor.js';

function assertFloatMatrixLike(op: string, x: Tensor): void {
  if (x.dtype === 'int32')
    throw new DTypeError(`${op}: argument 'logits' must be a float tensor, got int32`);
  if (x.rank === 0)
    throw new ShapeError(`${op}: argument 'logits' must have at least one axis, got a scalar`);
}

/** Softmax along the last axis. */
export function softmax(logits: Tensor): Tensor {
  assertFloatMatrixLike('softmax', logits);
  return ENGINE.runKernel('Softmax', { x: logits }, {}).y;
}

/** Log-softmax along the last axis, computed stably. */
export function logSoftmax(logits: Tensor): Tensor {
  assertFloatMatrixLike('logSoftmax', logits);
  return ENGINE.runKernel('LogSoftmax', { x: logits }, {}).y;
}
