// The RNN mode codes the fused recurrent kernels of the module take.
import type { RnnMode } from '@rnnkit/core';

/** Mode codes of the AssemblyScript kernels (`assembly/rnn/layout.ts`). */
export const MODE_CODES: Readonly<Record<RnnMode, number>> = {
  RNN_TANH: 0,
  RNN_RELU: 1,
  LSTM: 2,
  GRU: 3,
};

/** The AssemblyScript code of `mode`; a RangeError for a mode outside the catalogue. */
export function modeCode(mode: RnnMode): number {
  const code = MODE_CODES[mode];
  if (code === undefined) throw new RangeError(`wasm backend: unknown RNN mode ${String(mode)}`);
  return code;
}

/**
 * Floats of the plain path's reserve (`assembly/rnn/layout.ts`: gates, extra, hprev and, for
 * LSTM, cprev per row), computed here in doubles because the module's i32 would wrap.
 */
export function plainReserveFloats(mode: RnnMode, B: number, T: number, H: number): number {
  const blocks = mode === 'LSTM' ? 4 + 2 + 1 : mode === 'GRU' ? 3 + 1 + 1 : 1 + 1;
  return B * T * H * blocks;
}

/** Floats of the plain backward's work area (`rnnBackwardWorkFloats` in layout.ts). */
export function plainBackwardWorkFloats(mode: RnnMode, B: number, T: number, H: number): number {
  const GH = (mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1) * H;
  return B * T * GH * (mode === 'GRU' ? 2 : 1) + B * GH + B * H;
}
