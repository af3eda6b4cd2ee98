// The RnnBackward kernel on gpu.js: backpropagation through time from RnnForward's reserve
// textures, with the per-step kernels of the mode's cell strategy (rnn/cells.ts).
import type { KernelFunc, KernelOutputs } from '@rnnkit/core';
import { checkReserve, rnnStepAt, sizeOf } from '@rnnkit/core';
import type { GpujsBackend, GpuValue } from '../backend.js';
import { RNN_CELLS } from './rnn/cells.js';
import { dims, dimsKey } from './rnn/geometry.js';
import { inputProjection, runSteps, segmentCount } from './rnn/segments.js';
import { half, pack, stack } from './rnn/state.js';
import { columnSums, gemm } from './util/gemm.js';

/**
 * Backpropagation through time for `RnnForward`. Per step (in reverse processing order) the
 * cell's kernels compute the pre-activation gradients of the step `[B, D]` (D = G*H; GRU 6H:
 * the input-side r, z, n then the hidden-side r, z, r*n) and carry dL/dh (and dL/dc) to the
 * previous step through `W_hh`. The step gradients and the states before each step are then
 * joined in time order (concatenation passes) and the weight, bias and input gradients are each
 * one product or column-sum kernel.
 *
 * With a `checkpoint` segment length S the reserve holds only the state before each segment:
 * segments are differentiated last first, each recomputed from its boundary (the input
 * projection once per call, then the cell's forward kernels), so at most one segment's gate
 * textures are alive at a time.
 */
export const rnnBackward: KernelFunc<'RnnBackward', GpujsBackend> = (inputs, attrs, backend) => {
  const { mode, reverse } = attrs;
  const cell = RNN_CELLS[mode];
  const d = dims(inputs, mode, cell);
  const { B, T, I, H, GH, W } = d;
  const dtype = inputs.x.dtype;
  const key = dimsKey(d);
  /** Width of a step's gradient rows. */
  const D = cell.separateHiddenGateGrads ? 2 * GH : GH;
  const hiddenOffset = cell.separateHiddenGateGrads ? GH : 0;

  const zeros = (shape: number[]) => backend.filledTensor(shape, dtype, 0);
  if (B * H === 0 || T === 0) {
    const out: KernelOutputs<'RnnBackward'> = {
      dx: zeros([B, T, I]),
      dWIh: zeros([GH, I]),
      dWHh: zeros([GH, H]),
      dBIh: zeros([GH]),
      dBHh: zeros([GH]),
      dh0:
        B * H === 0
          ? zeros([B, H])
          : backend.make(backend.alias(backend.value(inputs.dhN)), [B, H], dtype),
    };
    if (cell.hasCellState) {
      out.dc0 =
        B * H > 0 && inputs.dcN
          ? backend.make(backend.alias(backend.value(inputs.dcN)), [B, H], dtype)
          : zeros([B, H]);
    }
    return out;
  }

  const segment = attrs.checkpoint ?? 0;
  const parts = backend.parts(inputs.reserve);
  checkReserve(
    backend,
    segment > 0 ? segmentCount(T, segment) : (cell.keepsGates ? 2 * T : T) + 1,
    parts.length,
    'textures',
  );
  const len = inputs.lengths ? backend.value(inputs.lengths) : undefined;
  const dy = backend.value(inputs.dy);
  const wHh = backend.value(inputs.wHh);

  let carry = cell.hasCellState
    ? pack(
        backend,
        d,
        backend.value(inputs.dhN),
        inputs.dcN ? backend.value(inputs.dcN) : undefined,
      )
    : backend.alias(backend.value(inputs.dhN));
  const stepGrads: GpuValue[] = new Array(T);
  /** Differentiates positions `from … to-1`; `states[k]`/`gates[k]` are those of `from + k`. */
  const differentiate = (from: number, to: number, states: GpuValue[], gates: GpuValue[]) => {
    for (let p = to - 1; p >= from; p--) {
      const step = cell.backward(backend, {
        d,
        key,
        carry,
        dy,
        stateAfter: states[p - from + 1],
        stateBefore: states[p - from],
        gates: gates[p - from],
        wHh,
        t: rnnStepAt(reverse, T, p),
        len,
      });
      backend.free(carry);
      carry = step.carry;
      stepGrads[p] = step.grads;
    }
  };
  /** The state before each position, for the `W_hh` gradient. */
  let statesBefore: GpuValue[];
  if (segment > 0) {
    // Recompute each segment from its boundary, last segment first; its gates die with it.
    const recurrence = {
      d,
      key,
      xp: inputProjection(
        backend,
        d,
        backend.value(inputs.x),
        backend.value(inputs.wIh),
        backend.value(inputs.bIh),
      ),
      wHh,
      bHh: backend.value(inputs.bHh),
      len,
      reverse,
    };
    statesBefore = new Array(T);
    for (let k = parts.length - 1; k >= 0; k--) {
      const from = k * segment;
      const to = Math.min(T, from + segment);
      const run = runSteps(backend, recurrence, backend.alias(parts[k]), from, to);
      differentiate(from, to, run.states, run.gates);
      for (const v of run.gates) backend.free(v);
      backend.free(run.states[to - from]);
      for (let p = from; p < to; p++) statesBefore[p] = run.states[p - from];
    }
    backend.free(recurrence.xp);
  } else {
    differentiate(0, T, parts.slice(0, T + 1), parts.slice(T + 1));
    statesBefore = parts.slice(0, T);
  }

  // Time order: the step processed p-th is t = p (forward) or T-1-p (reverse).
  const inTimeOrder = <V>(byPosition: readonly V[]) =>
    reverse ? [...byPosition].reverse() : [...byPosition];
  const all = stack(backend, d, inTimeOrder(stepGrads), D); // [B*T, D]
  const before = stack(backend, d, inTimeOrder(statesBefore), W); // [B*T, W]
  for (const v of stepGrads) backend.free(v);
  if (segment > 0) for (const v of statesBefore) backend.free(v);
  const rows = B * T;
  const product = (shape: number[], make: () => GpuValue) =>
    sizeOf(shape) === 0 ? backend.empty(shape, dtype) : backend.make(make(), shape, dtype);

  const out: KernelOutputs<'RnnBackward'> = {
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
};
