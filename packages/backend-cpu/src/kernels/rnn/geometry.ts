/**
 * Sizes, lengths and step order of one fused recurrent call, derived once and shared by the
 * forward and backward kernels.
 */
import type { RnnAttrs, RnnWeightsInputs } from '@rnnkit/core';
import { rnnSizes, rnnStepAt } from '@rnnkit/core';
import type { CpuBackend } from '../../backend.js';
import { RNN_CELLS, type RnnCell } from './cells.js';

/**
 * Sizes, lengths and step order of one fused recurrent call, derived once and shared by the
 * forward and backward kernels.
 *
 * Reserve layout (private to this backend): `[B, T, R*H]` batch-first, where the R blocks per
 * batch element and step are the cell's ({@link RnnCell.reserveBlocks}): none for RNN_TANH and
 * RNN_RELU (the output y determines the derivative), `i, f, g, o, c_t` for LSTM, and
 * `r, z, n, W_hn h_{t-1} + b_hn` for GRU. Rows of padded steps are never written or read.
 *
 * With checkpointing (segment length S > 0) the reserve is instead `[K, B, stateWidth]`, K =
 * ⌈T/S⌉: the state before the first position of each S-step segment of the processing order
 * (h, then c for LSTM). The backward recomputes one segment at a time into a `[B*S, R*H]`
 * buffer whose row for batch element b at position p is `b*S + (p - segmentStart)`.
 */
export interface RnnGeometry {
  /** Cell math of the mode. */
  readonly cell: RnnCell;
  /** Batch size B. */
  readonly batch: number;
  /** Steps T. */
  readonly steps: number;
  /** Input features I. */
  readonly inputSize: number;
  /** Hidden size H. */
  readonly hidden: number;
  /** G*H: width of a gate row. */
  readonly gateWidth: number;
  /** R*H: reserve values per batch element and step. */
  readonly reserveWidth: number;
  /** Valid steps of each sequence (T for all when the call has no lengths). */
  readonly lengths: Int32Array;
  /** Whether the recurrence runs from the last valid step to the first. */
  readonly reverse: boolean;
  /** Checkpoint segment length S (0: the plain path keeps every step's reserve row). */
  readonly segment: number;
  /** Values per batch element of a checkpoint boundary: H, or 2H (h then c) for LSTM. */
  readonly stateWidth: number;
  /**
   * Directions D of the call (`directions` attribute). Every field above describes one
   * direction; direction 1 runs the other way (`directionGeometry` in `directions.ts`).
   */
  readonly directions: number;
}

/** Reads the sizes off the inputs (already validated by core). */
export function rnnGeometry(
  inputs: RnnWeightsInputs,
  attrs: RnnAttrs,
  backend: CpuBackend,
): RnnGeometry {
  const cell = RNN_CELLS[attrs.mode];
  const {
    B: batch,
    T: steps,
    I: inputSize,
    H: hidden,
    GH: gateWidth,
    D: directions,
  } = rnnSizes(inputs, attrs.mode);
  const lengths = inputs.lengths
    ? backend.intValues(inputs.lengths)
    : new Int32Array(batch).fill(steps);
  return {
    cell,
    batch,
    steps,
    inputSize,
    hidden,
    gateWidth,
    reserveWidth: cell.reserveBlocks * hidden,
    lengths,
    reverse: attrs.reverse,
    segment: attrs.checkpoint ?? 0,
    stateWidth: (cell.cellStateBlock === undefined ? 1 : 2) * hidden,
    directions,
  };
}

/** Number of checkpoint boundaries ⌈T/S⌉ (0 on the plain path). */
export function boundaryCount(geometry: RnnGeometry): number {
  return geometry.segment > 0 ? Math.ceil(geometry.steps / geometry.segment) : 0;
}

/** The time index visited at position `position` of the forward processing order. */
export function stepAt(geometry: RnnGeometry, position: number): number {
  return rnnStepAt(geometry.reverse, geometry.steps, position);
}

/**
 * The step whose output is sequence `b`'s state before step `t`, or -1 when `t` is its first
 * step (so the state before it is h0/c0). Only meaningful for valid steps (`t < lengths[b]`).
 */
export function previousStep(geometry: RnnGeometry, b: number, t: number): number {
  if (geometry.reverse) return t + 1 < geometry.lengths[b] ? t + 1 : -1;
  return t - 1;
}
