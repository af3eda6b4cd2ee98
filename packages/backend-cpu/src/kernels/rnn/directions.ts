/**
 * The per-direction views of a fused recurrent call with `directions: 2`: each direction's slice
 * of the stacked weights and states, and its half of the `[B, T, 2H]` outputs.
 */
import type { RnnWeightsInputs } from '@rnnkit/core';
import type { CpuBackend } from '../../backend.js';
import { type FloatArray, zerosLike } from '../util/float.js';
import type { RnnGeometry } from './geometry.js';

/** One direction's parameters and initial state (subarrays of the stacked inputs, not copies). */
export interface DirectionArrays {
  /** `[G*H, I]`. */
  readonly wIh: FloatArray;
  /** `[G*H, H]`. */
  readonly wHh: FloatArray;
  /** `[G*H]`. */
  readonly bIh: FloatArray;
  /** `[G*H]`. */
  readonly bHh: FloatArray;
  /** `[B, H]`. */
  readonly h0: FloatArray;
  /** `[B, H]` for LSTM, else undefined. */
  readonly c0: FloatArray | undefined;
}

/** The `d`-th of `count` equal blocks of `values` (all of it when `count` is 1). */
export function blockOf(values: FloatArray, d: number, count: number): FloatArray {
  if (count === 1) return values;
  const size = values.length / count;
  return values.subarray(d * size, (d + 1) * size);
}

/** Direction `d`'s weights and initial states, from inputs stacked over `geometry.directions`. */
export function directionArrays(
  backend: CpuBackend,
  inputs: RnnWeightsInputs,
  geometry: RnnGeometry,
  d: number,
): DirectionArrays {
  const D = geometry.directions;
  const of = (info: RnnWeightsInputs['x']) => blockOf(backend.floatValues(info), d, D);
  return {
    wIh: of(inputs.wIh),
    wHh: of(inputs.wHh),
    bIh: of(inputs.bIh),
    bHh: of(inputs.bHh),
    h0: of(inputs.h0),
    c0: inputs.c0 ? of(inputs.c0) : undefined,
  };
}

/**
 * Copies direction `d`'s half of the rows of `[rows, D*H]` `joined` into a dense `[rows, H]`
 * array (the array itself when there is one direction).
 */
export function halfOf(
  joined: FloatArray,
  rows: number,
  H: number,
  d: number,
  D: number,
): FloatArray {
  if (D === 1) return joined;
  const half = zerosLike(joined, rows * H);
  for (let r = 0; r < rows; r++) {
    half.set(joined.subarray((r * D + d) * H, (r * D + d + 1) * H), r * H);
  }
  return half;
}

/** Writes the dense `[rows, H]` `half` into direction `d`'s half of the rows of `joined`. */
export function setHalf(
  joined: FloatArray,
  half: FloatArray,
  rows: number,
  H: number,
  d: number,
  D: number,
): void {
  if (D === 1) {
    joined.set(half);
    return;
  }
  for (let r = 0; r < rows; r++) joined.set(half.subarray(r * H, (r + 1) * H), (r * D + d) * H);
}

/** The geometry of direction `d`: direction 1 runs the other way than direction 0. */
export function directionGeometry(geometry: RnnGeometry, d: number): RnnGeometry {
  return d === 0 ? geometry : { ...geometry, reverse: !geometry.reverse };
}
