// The fused recurrent kernels as the kernel table holds them: two-direction calls go to the
// module in one call, except the checkpointed ones, whose directions run in turn.
import type { KernelFunc, RnnAttrs } from '@rnnkit/core';
import { rnnByDirection } from '@rnnkit/core';
import type { WasmBackend } from '../../backend.js';
import { binary } from '../Binary.js';
import { concat } from '../Concat.js';
import { rnnBackward } from '../RnnBackward.js';
import { rnnForward } from '../RnnForward.js';
import { slice } from '../Slice.js';

/** The one-direction checkpointed kernels run for each direction in turn (core's rnnByDirection). */
const inTurn = rnnByDirection({
  forward: rnnForward,
  backward: rnnBackward,
  slice,
  concat,
  binary,
});

/** Whether a call runs both directions with checkpointed backpropagation through time. */
function checkpointedPair(attrs: RnnAttrs, training: boolean): boolean {
  return attrs.directions === 2 && training && (attrs.checkpoint ?? 0) > 0;
}

/** `RnnForward` for one direction or both. */
export const rnnForwardKernel: KernelFunc<'RnnForward', WasmBackend> = (inputs, attrs, backend) =>
  checkpointedPair(attrs, attrs.training)
    ? inTurn.forward(inputs, attrs, backend)
    : rnnForward(inputs, attrs, backend);

/** `RnnBackward` for one direction or both. */
export const rnnBackwardKernel: KernelFunc<'RnnBackward', WasmBackend> = (
  inputs,
  attrs,
  backend,
) =>
  checkpointedPair(attrs, true)
    ? inTurn.backward(inputs, attrs, backend)
    : rnnBackward(inputs, attrs, backend);
