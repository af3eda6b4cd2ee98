// Sizes of the plain path's reserve and work area, in doubles (the module's i32 would wrap).
import { GATES_PER_MODE, type RnnMode } from '@rnnkit/core';

/**
 * Floats of the plain path's reserve (`assembly/rnn/layout.ts`: gates, extra, hprev and, for
 * LSTM, cprev per row), computed here in doubles because the module's i32 would wrap.
 */
export function plainReserveFloats(mode: RnnMode, B: number, T: number, H: number): number {
  const blocks = mode === 'LSTM' ? 4 + 2 + 1 : mode === 'GRU' ? 3 + 1 + 1 : 1 + 1;
  return B * T * H * blocks;
}

/**
 * Floats of the work area of an inference-mode forward call, per direction
 * (`rnnInferenceFloats` in layout.ts: one step's gate rows, its gathered inputs, the bias row).
 */
export function inferenceFloats(mode: RnnMode, B: number, I: number, H: number): number {
  const GH = GATES_PER_MODE[mode] * H;
  return B * GH + B * I + GH;
}

/** Floats of the plain backward's work area (`rnnBackwardWorkFloats` in layout.ts). */
export function plainBackwardWorkFloats(mode: RnnMode, B: number, T: number, H: number): number {
  const GH = GATES_PER_MODE[mode] * H;
  return B * T * GH * (mode === 'GRU' ? 2 : 1) + B * GH + B * H;
}

/**
 * Floats of a reserve or work area of `floats` per direction over `D` directions: with two, each
 * direction's section starts 16-byte aligned (`directionFloats` in assembly/rnn/tasks.ts).
 */
export function directionsFloats(floats: number, D: number): number {
  return D === 1 ? floats : D * Math.ceil(floats / 4) * 4;
}
