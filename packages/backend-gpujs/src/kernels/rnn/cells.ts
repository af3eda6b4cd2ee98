// The cell strategy of each recurrent mode on gpu.js.
import type { RnnMode } from '@rnnkit/core';
import type { GpuRnnCell } from './cell.js';
import { gruCell } from './gru_cell.js';
import { lstmCell } from './lstm_cell.js';
import { reluCell, tanhCell } from './simple_cell.js';

/** The per-step kernels of each mode. */
export const RNN_CELLS: Readonly<Record<RnnMode, GpuRnnCell>> = {
  RNN_TANH: tanhCell,
  RNN_RELU: reluCell,
  LSTM: lstmCell,
  GRU: gruCell,
};
