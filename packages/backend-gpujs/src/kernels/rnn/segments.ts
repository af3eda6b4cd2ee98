// Runs a span of the forward recurrence (the whole sequence, or one checkpoint segment that the
// backward pass recomputes from its boundary state) with the mode's cell strategy.
import { rnnStepAt } from '@rnnkit/core';
import type { GpujsBackend, GpuValue } from '../../backend.js';
import { gemm } from '../util/gemm.js';
import { RNN_CELLS } from './cells.js';
import type { Dims } from './geometry.js';

/** What every forward step of one call reads. */
export interface Recurrence {
  /** Sizes of the call. */
  readonly d: Dims;
  /** Cache-key part of the call's shapes. */
  readonly key: string;
  /** `x W_ih^T + b_ih` of every step, `[B*T, G*H]`. */
  readonly xp: GpuValue;
  /** `W_hh`, `[G*H, H]`. */
  readonly wHh: GpuValue;
  /** `b_hh`, `[G*H]`. */
  readonly bHh: GpuValue;
  /** The int32 lengths texture, when the call has lengths. */
  readonly len: GpuValue | undefined;
  /** Whether the processing order runs from the last step to the first. */
  readonly reverse: boolean;
}

/**
 * Runs the steps processed at positions `from … to-1` starting from `initial` (the state before
 * step `from`, which becomes `states[0]`): `states[k]` is the state before position `from + k`
 * (the last one the state after `to - 1`), `gates[k]` the gate texture of that step (cells that
 * keep gates). The caller owns everything returned, `initial` included.
 */
export function runSteps(
  backend: GpujsBackend,
  r: Recurrence,
  initial: GpuValue,
  from: number,
  to: number,
): { states: GpuValue[]; gates: GpuValue[] } {
  const { d, key, xp, wHh, bHh, len, reverse } = r;
  const cell = RNN_CELLS[d.mode];
  const states = [initial];
  const gates: GpuValue[] = [];
  for (let p = from; p < to; p++) {
    const t = rnnStepAt(reverse, d.T, p);
    const step = cell.forward(backend, { d, key, xp, state: states[p - from], wHh, bHh, t, len });
    states.push(step.state);
    if (step.gates) gates.push(step.gates);
  }
  return { states, gates };
}

/** The number of S-step checkpoint segments of a `T`-step sequence, ⌈T/S⌉ (0 for the plain path). */
export function segmentCount(T: number, segment: number): number {
  return segment > 0 ? Math.ceil(T / segment) : 0;
}

/** The input projection of every step, `XP[b*T + t, :] = x[b, t, :] W_ih^T + b_ih` (`[B*T, G*H]`). */
export function inputProjection(
  backend: GpujsBackend,
  d: Dims,
  x: GpuValue,
  wIh: GpuValue,
  bIh: GpuValue,
): GpuValue {
  return gemm(
    backend,
    {
      batch: 1,
      M: d.B * d.T,
      N: d.GH,
      K: d.I,
      a: { batch: 0, outer: d.I, k: 1 },
      b: { batch: 0, outer: d.I, k: 1 },
      bias: true,
    },
    x,
    wIh,
    bIh,
  );
}
