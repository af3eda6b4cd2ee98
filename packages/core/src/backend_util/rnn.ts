/**
 * The sizes and step order of one fused recurrent call, shared by every backend.
 */
import type { RnnMode } from '../kernel_names.js';
import { GATES_PER_MODE } from '../kernel_names.js';
import type { Shape } from '../types.js';

/** Sizes of one fused recurrent call (`RnnForward` / `RnnBackward`). */
export interface RnnSizes {
  /** Batch size. */
  B: number;
  /** Steps. */
  T: number;
  /** Input features. */
  I: number;
  /** Hidden features. */
  H: number;
  /** Gate blocks of the mode ({@link GATES_PER_MODE}). */
  G: number;
  /** `G * H`: rows of the weight matrices, width of a gate row. */
  GH: number;
  /** Directions of the call (1, or 2 with the `directions` attribute; `h0` is then `[2, B, H]`). */
  D: number;
}

/**
 * Reads B, T, I (from `x: [B, T, I]`), H and D (from `h0: [B, H]`, or `[2, B, H]` when the call
 * runs both directions) off the inputs of a fused recurrent kernel, and G from the mode. The
 * inputs have already been validated by core.
 */
export function rnnSizes(
  inputs: { readonly x: { readonly shape: Shape }; readonly h0: { readonly shape: Shape } },
  mode: RnnMode,
): RnnSizes {
  const [B, T, I] = inputs.x.shape;
  const stacked = inputs.h0.shape.length === 3;
  const H = inputs.h0.shape[stacked ? 2 : 1];
  const G = GATES_PER_MODE[mode];
  return { B, T, I, H, G, GH: G * H, D: stacked ? inputs.h0.shape[0] : 1 };
}

/**
 * The time index a recurrent kernel visits at `position` (0-based) of its processing order:
 * `position` itself, or `T - 1 - position` when the layer runs in `reverse`.
 */
export function rnnStepAt(reverse: boolean, T: number, position: number): number {
  return reverse ? T - 1 - position : position;
}
