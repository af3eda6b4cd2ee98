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
