// The RnnBackward kernel on gpu.js: backpropagation through time from RnnForward's reserve
// textures, with the per-step kernels of the mode's cell strategy (rnn/cells.ts).
import type { KernelFunc, KernelInputs, KernelOutputs } from '@rnnkit/core';
import { checkReserve, sizeOf } from '@rnnkit/core';
import type { GpujsBackend, GpuValue } from '../backend.js';
import {
  type BackwardRecurrence,
  checkpointedStepGradients,
  plainStepGradients,
  type StepGradients,
} from './rnn/backprop.js';
import type { GpuRnnCell } from './rnn/cell.js';
import { RNN_CELLS } from './rnn/cells.js';
import { type Dims, dims, dimsKey } from './rnn/geometry.js';
import { inputProjection, segmentCount } from './rnn/segments.js';
import { half, pack, stack } from './rnn/state.js';
import { columnSums, gemm } from './util/gemm.js';

type Inputs = KernelInputs<'RnnBackward'>;
type Outputs = KernelOutputs<'RnnBackward'>;

/**
 * Backpropagation through time for `RnnForward`. Per step (in reverse processing order) the
 * cell's kernels compute the pre-activation gradients of the step `[B, D]` (D = G*H; GRU 6H:
 * the input-side r, z, n then the hidden-side r, z, r*n) and carry dL/dh (and dL/dc) to the
 * previous step through `W_hh` (rnn/backprop.ts). The step gradients and the states before each
 * step are then joined in time order (concatenation passes) and the weight, bias and input
 * gradients are each one product or column-sum kernel.
 *
 * With a `checkpoint` segment length S the reserve holds only the state before each segment:
 * segments are differentiated last first, each recomputed from its boundary (the input
 * projection once per call, then the cell's forward kernels), so at most one segment's gate
 * textures are alive at a time.
 *
 * An absent `dy` is zero (a zero texture for the duration of the call).
 */
export const rnnBackward: KernelFunc<'RnnBackward', GpujsBackend> = (inputs, attrs, backend) => {
  const { mode, reverse } = attrs;
  const cell = RNN_CELLS[mode];
  const d = dims(inputs, mode, cell);
  if (d.B * d.H === 0 || d.T === 0) return emptyGradients(backend, inputs, d, cell);

  const segment = attrs.checkpoint ?? 0;
  const parts = backend.parts(inputs.reserve);
  const expected = segment > 0 ? segmentCount(d.T, segment) : (cell.keepsGates ? 2 : 1) * d.T + 1;
  checkReserve(backend, expected, parts.length, 'textures');
  // The cell kernels read a dy texture on every step: an absent (zero) dy gets a zero one,
  // freed below. Memory is not what this backend optimises; its kernels stay one variant.
  const dy = inputs.dy
    ? backend.value(inputs.dy)
    : backend.upload(new Float32Array(d.B * d.T * d.H));
  const r: BackwardRecurrence = {
    d,
    key: dimsKey(d),
    dy,
    wHh: backend.value(inputs.wHh),
    len: inputs.lengths ? backend.value(inputs.lengths) : undefined,
    reverse,
  };
  const carry = finalStateGradient(backend, inputs, d, cell);
  let steps: StepGradients;
  if (segment > 0) {
    const xp = inputProjection(
      backend,
      d,
      backend.value(inputs.x),
      backend.value(inputs.wIh),
      backend.value(inputs.bIh),
    );
    const forward = { xp, bHh: backend.value(inputs.bHh) };
    steps = checkpointedStepGradients(backend, r, forward, parts, segment, carry);
    backend.free(xp);
  } else {
    steps = plainStepGradients(backend, r, parts, carry);
  }
  if (!inputs.dy) backend.free(dy);
  return gradients(backend, inputs, d, cell, reverse, steps);
};

/**
 * The gradients of a call without steps or without state (`B*H = 0` or `T = 0`): zeros, except
 * that with no step dL/dh0 (and dL/dc0) is the incoming dL/dhN (dL/dcN).
 */
function emptyGradients(backend: GpujsBackend, inputs: Inputs, d: Dims, cell: GpuRnnCell): Outputs {
  const { B, T, I, H, GH } = d;
  const dtype = inputs.x.dtype;
  const zeros = (shape: number[]) => backend.filledTensor(shape, dtype, 0);
  const passed = (info: Inputs['dhN'] | undefined) =>
    B * H > 0 && info
      ? backend.make(backend.alias(backend.value(info)), [B, H], dtype)
      : zeros([B, H]);
  const out: Outputs = {
    dx: zeros([B, T, I]),
    dWIh: zeros([GH, I]),
    dWHh: zeros([GH, H]),
    dBIh: zeros([GH]),
    dBHh: zeros([GH]),
    dh0: passed(inputs.dhN),
  };
  if (cell.hasCellState) out.dc0 = passed(inputs.dcN);
  return out;
}

/** dL/d(final state) that starts the recurrence: dL/dhN, packed with dL/dcN (or zeros) for LSTM. */
function finalStateGradient(
  backend: GpujsBackend,
  inputs: Inputs,
  d: Dims,
  cell: GpuRnnCell,
): GpuValue {
  const dhN = backend.value(inputs.dhN);
  if (!cell.hasCellState) return backend.alias(dhN);
  return pack(backend, d, dhN, inputs.dcN ? backend.value(inputs.dcN) : undefined);
}

/**
 * The kernel's outputs from the step gradients: the step gradients `[B*T, D]` and the states
 * before each step `[B*T, W]` joined in time order (the step processed p-th is t = p, or
 * T-1-p in reverse), then dx, dW_ih and dW_hh as products, the biases' gradients as column sums,
 * and dh0 (dc0) from the carried state gradient. Frees everything in `steps` it owns.
 */
function gradients(
  backend: GpujsBackend,
  inputs: Inputs,
  d: Dims,
  cell: GpuRnnCell,
  reverse: boolean,
  steps: StepGradients,
): Outputs {
  const { B, T, I, H, GH, W } = d;
  const dtype = inputs.x.dtype;
  /** Width of a step's gradient rows, and where their hidden-side part starts. */
  const D = cell.separateHiddenGateGrads ? 2 * GH : GH;
  const hiddenOffset = cell.separateHiddenGateGrads ? GH : 0;
  const inTimeOrder = <V>(byPosition: readonly V[]) =>
    reverse ? [...byPosition].reverse() : [...byPosition];
  const all = stack(backend, d, inTimeOrder(steps.grads), D); // [B*T, D]
  const before = stack(backend, d, inTimeOrder(steps.statesBefore), W); // [B*T, W]
  for (const v of steps.grads) backend.free(v);
  if (steps.ownsStates) for (const v of steps.statesBefore) backend.free(v);

  const rows = B * T;
  const product = (shape: number[], make: () => GpuValue) =>
    sizeOf(shape) === 0 ? backend.empty(shape, dtype) : backend.make(make(), shape, dtype);
  const { carry } = steps;
  const out: Outputs = {
    dx: product([B, T, I], () =>
      gemm(
        backend,
        {
          batch: 1,
          M: rows,
          N: I,
          K: GH,
          a: { batch: 0, outer: D, k: 1 },
          b: { batch: 0, outer: 1, k: I },
        },
        all,
        backend.value(inputs.wIh),
      ),
    ),
    dWIh: product([GH, I], () =>
      gemm(
        backend,
        {
          batch: 1,
          M: GH,
          N: I,
          K: rows,
          a: { batch: 0, outer: 1, k: D },
          b: { batch: 0, outer: 1, k: I },
        },
        all,
        backend.value(inputs.x),
      ),
    ),
    dWHh: product([GH, H], () =>
      gemm(
        backend,
        {
          batch: 1,
          M: GH,
          N: H,
          K: rows,
          a: { batch: 0, outer: 1, k: D, offset: hiddenOffset },
          b: { batch: 0, outer: 1, k: W },
        },
        all,
        before,
      ),
    ),
    dBIh: backend.make(columnSums(backend, all, rows, GH, D, 0), [GH], dtype),
    dBHh: backend.make(columnSums(backend, all, rows, GH, D, hiddenOffset), [GH], dtype),
    dh0: backend.make(cell.hasCellState ? half(backend, d, carry, 0) : carry, [B, H], dtype),
  };
  if (cell.hasCellState) {
    out.dc0 = backend.make(half(backend, d, carry, H), [B, H], dtype);
    backend.free(carry);
  }
  backend.free(all);
  backend.free(before);
  return out;
}
