/**
 * The shapes of kernel-level cases and their results, shared by the case generators and the runner.
 */
import type { DType, KernelName, RnnMode } from '@rnnkit/core';
import type { HostTensor, TensorCheck } from '@rnnkit/testing';
import type { Tolerances } from '../tolerances.js';
/** Host inputs of one kernel call. */
export type HostInputs = Record<string, HostTensor | HostTensor[] | undefined>;

/** An expected output with the tolerance it is held to. */
export interface ExpectedOutput {
  /** Expected values. */
  tensor: HostTensor;
  /** Tolerance (scale-relative, see `compareValues`). */
  tolerance: number;
  /** Error scale override (e.g. `max(|A|@|B|)` for a matrix product). */
  scale?: number;
}

/** One call of a non-recurrent kernel. */
export interface KernelCase {
  /** Stable id: `kernel/<Kernel>/<dtype>/<details>`; exclusions match it by prefix. */
  id: string;
  /** The kernel. */
  kernel: Exclude<KernelName, 'RnnForward' | 'RnnBackward'>;
  /** Every dtype the call involves (the backend must support all of them). */
  dtypes: DType[];
  /** Inputs. */
  inputs: HostInputs;
  /** Attributes. */
  attrs: Record<string, unknown>;
  /** The hand results and tolerances, by output name. */
  oracle: (tol: Tolerances) => Record<string, ExpectedOutput>;
  /** Tolerance by output name when comparing with another backend's kernel (same derivation as the oracle's). */
  tolerance: (tol: Tolerances) => Record<string, { tolerance: number; scale?: number }>;
}

/** One call of a fused recurrent kernel (forward, or forward then backward). */
export interface RnnCase {
  /** Stable id: `kernel/RnnForward/<dtype>/<mode>/...`. */
  id: string;
  /** `RnnForward` checks `y`, `hN`, `cN` with `training` false and true; `RnnBackward` checks every gradient. */
  kernel: 'RnnForward' | 'RnnBackward';
  /** Float dtype. */
  dtype: 'float32' | 'float64';
  /** Cell type. */
  mode: RnnMode;
  /** Run backwards in time. */
  reverse: boolean;
  /** Sizes. */
  sizes: { B: number; T: number; I: number; H: number };
  /**
   * Inputs `x, wIh, wHh, bIh, bHh, h0, c0?, lengths?` and cotangents `dy?, dhN, dcN?`. An
   * `RnnBackward` case without `dy` calls the kernel without it and is compared with the same
   * call given a zero `dy`: cpu's, exactly when cpu itself is under test.
   */
  inputs: Record<string, HostTensor | undefined>;
  /**
   * The kernels' `checkpoint` segment length. Such a case is compared with the plain path:
   * cpu's plain kernel, exactly when cpu itself is under test.
   */
  checkpoint?: number;
  /**
   * The kernels' `directions` attribute (absent: 1). The inputs are then stacked per direction
   * and the case is compared with two single-direction calls (`rnn_direction_cases.ts`).
   */
  directions?: 2;
}

/** Any kernel-level case. */
export type AnyKernelCase = KernelCase | RnnCase;

/** Result of one kernel-level case. */
export interface KernelCaseResult {
  /** The case id. */
  id: string;
  /** True when every output matched. */
  ok: boolean;
  /** Largest error over the outputs. */
  error: number;
  /** Failure explanation. */
  message?: string;
  /** Every compared output with its error and tolerance (empty when the call threw). */
  checks: TensorCheck[];
}
