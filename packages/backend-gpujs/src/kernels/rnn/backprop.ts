// The step-by-step half of backpropagation through time on gpu.js: the cell's backward kernels
// over the processing positions, read from the plain reserve or per checkpoint segment
// recomputed from its boundary state.
import { rnnStepAt } from '@rnnkit/core';
import type { GpujsBackend, GpuValue } from '../../backend.js';
import { RNN_CELLS } from './cells.js';
import { type Recurrence, runSteps } from './segments.js';

/** What every backward step of one call reads. */
export interface BackwardRecurrence extends Omit<Recurrence, 'xp' | 'bHh'> {
  /** dL/dy, `[B, T, H]`. */
  readonly dy: GpuValue;
}

/** What the step-by-step backward leaves for the weight and input gradients. */
export interface StepGradients {
  /** The pre-activation gradients of the step processed `p`-th, `[B, D]` each (caller owns them). */
  readonly grads: GpuValue[];
  /** The state before the step processed `p`-th, `[B, W]` each. */
  readonly statesBefore: GpuValue[];
  /** Whether `statesBefore` are the caller's to free (recomputed) rather than the reserve's. */
  readonly ownsStates: boolean;
  /** dL/d(initial state), `[B, W]` (caller owns it). */
  readonly carry: GpuValue;
}

/**
 * Differentiates positions `from … to-1`, last first, where `states[k]`/`gates[k]` are the state
 * before / gates of position `from + k` (`states[to - from]` the state after `to - 1`). Takes
 * ownership of `carry` (dL/d(state after `to - 1`)) and returns dL/d(state before `from`); each
 * step's gradients go to `grads[p]`.
 */
function differentiateSpan(
  backend: GpujsBackend,
  r: BackwardRecurrence,
  carry: GpuValue,
  span: { from: number; to: number; states: GpuValue[]; gates: GpuValue[] },
  grads: GpuValue[],
): GpuValue {
  const { d, key, dy, wHh, len, reverse } = r;
  const { from, to, states, gates } = span;
  const cell = RNN_CELLS[d.mode];
  let dState = carry;
  for (let p = to - 1; p >= from; p--) {
    const step = cell.backward(backend, {
      d,
      key,
      carry: dState,
      dy,
      stateAfter: states[p - from + 1],
      stateBefore: states[p - from],
      gates: gates[p - from],
      wHh,
      t: rnnStepAt(reverse, d.T, p),
      len,
    });
    backend.free(dState);
    dState = step.carry;
    grads[p] = step.grads;
  }
  return dState;
}

/**
 * The plain path: every state and gate texture is in the reserve
 * (`[S_-1, S_0, …, S_{T-1}, G_0, …, G_{T-1}]`, see RnnForward).
 */
export function plainStepGradients(
  backend: GpujsBackend,
  r: BackwardRecurrence,
  reserve: GpuValue[],
  carry: GpuValue,
): StepGradients {
  const { T } = r.d;
  const grads: GpuValue[] = new Array(T);
  const span = { from: 0, to: T, states: reserve.slice(0, T + 1), gates: reserve.slice(T + 1) };
  const dInitial = differentiateSpan(backend, r, carry, span, grads);
  return { grads, statesBefore: reserve.slice(0, T), ownsStates: false, carry: dInitial };
}

/**
 * The checkpointed path: the reserve holds the state before each `segment`-step segment. Each
 * segment, last first, is recomputed from its boundary with the forward's kernels (`forward`
 * gives the input projection and `b_hh`) and differentiated; its gates and final state are freed
 * at once, so at most one segment's gate textures are alive at a time.
 */
export function checkpointedStepGradients(
  backend: GpujsBackend,
  r: BackwardRecurrence,
  forward: Pick<Recurrence, 'xp' | 'bHh'>,
  boundaries: GpuValue[],
  segment: number,
  carry: GpuValue,
): StepGradients {
  const { T } = r.d;
  const recurrence: Recurrence = { ...r, ...forward };
  const grads: GpuValue[] = new Array(T);
  const statesBefore: GpuValue[] = new Array(T);
  let dState = carry;
  for (let k = boundaries.length - 1; k >= 0; k--) {
    const from = k * segment;
    const to = Math.min(T, from + segment);
    const run = runSteps(backend, recurrence, backend.alias(boundaries[k]), from, to);
    dState = differentiateSpan(backend, r, dState, { from, to, ...run }, grads);
    for (const v of run.gates) backend.free(v);
    backend.free(run.states[to - from]);
    for (let p = from; p < to; p++) statesBefore[p] = run.states[p - from];
  }
  return { grads, statesBefore, ownsStates: true, carry: dState };
}
