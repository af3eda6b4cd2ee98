// The contract of a recurrent cell strategy on gpu.js: the per-step kernels of one mode, which
// the mode-free RnnForward and RnnBackward kernels run once per step (the gpu.js counterpart of
// backend-cpu's RnnCell).
import type { GpujsBackend, GpuValue } from '../../backend.js';
import type { StepAt } from './geometry.js';

/** What a forward step reads. */
export interface ForwardStep extends StepAt {
  /** `x W_ih^T + b_ih` of every step, `[B*T, G*H]`. */
  readonly xp: GpuValue;
  /** The state before the step, `[B, W]`. */
  readonly state: GpuValue;
  /** `W_hh`, `[G*H, H]`. */
  readonly wHh: GpuValue;
  /** `b_hh`, `[G*H]`. */
  readonly bHh: GpuValue;
}

/** What a forward step produces (ownership passes to the caller). */
export interface ForwardResult {
  /** The state after the step, `[B, W]`. */
  state: GpuValue;
  /** The step's gate texture `[B, 4H]`, kept in the reserve ({@link GpuRnnCell.keepsGates}). */
  gates?: GpuValue;
}

/** What a backward step reads. */
export interface BackwardStep extends StepAt {
  /** dL/d(state after the step) that flows back through the recurrence, `[B, W]`. */
  readonly carry: GpuValue;
  /** dL/dy, `[B, T, H]`. */
  readonly dy: GpuValue;
  /** The state after the step, `[B, W]`. */
  readonly stateAfter: GpuValue;
  /** The state before the step, `[B, W]`. */
  readonly stateBefore: GpuValue;
  /** The step's gate texture (cells that keep gates). */
  readonly gates: GpuValue | undefined;
  /** `W_hh`, `[G*H, H]`. */
  readonly wHh: GpuValue;
}

/** What a backward step produces (ownership passes to the caller). */
export interface BackwardResult {
  /** The step's pre-activation gradients, `[B, D]` ({@link GpuRnnCell.separateHiddenGateGrads}). */
  grads: GpuValue;
  /** dL/d(state before the step), `[B, W]`. */
  carry: GpuValue;
}

/** The per-step kernels of one cell type. */
export interface GpuRnnCell {
  /** Whether the state rows hold `h | c` (`[B, 2H]`, LSTM) rather than h alone. */
  readonly hasCellState: boolean;
  /** Whether each step keeps a gate texture in the reserve. */
  readonly keepsGates: boolean;
  /**
   * Whether the step-gradient rows hold the input-side and then the hidden-side pre-activation
   * gradients (`D = 2*G*H`, GRU, where the reset gate multiplies the hidden product) rather than
   * one set (`D = G*H`).
   */
  readonly separateHiddenGateGrads: boolean;
  /** Runs the kernels of one forward step. */
  forward(backend: GpujsBackend, step: ForwardStep): ForwardResult;
  /** Runs the kernels of one backward step. */
  backward(backend: GpujsBackend, step: BackwardStep): BackwardResult;
}
