// Sizes of one fused recurrent call and the plumbing every per-step kernel shares: its cache
// key, its source (step index and lengths as arguments, padded steps frozen) and its arguments.
import type { RnnMode, RnnSizes, TensorInfo } from '@rnnkit/core';
import { rnnSizes } from '@rnnkit/core';
import type { GpujsBackend, GpuValue, KernelArg } from '../../backend.js';
import { int, kernelSource, unravel } from '../../codegen.js';
import type { GpuRnnCell } from './cell.js';

/** Sizes of one fused call. */
export interface Dims extends RnnSizes {
  /** The cell type. */
  mode: RnnMode;
  /** State width: 2H when the state rows hold h | c (LSTM), else H. */
  W: number;
  /** Whether the call has per-sequence lengths. */
  lengths: boolean;
}

/** The {@link Dims} of a call of `mode` computed by `cell`. */
export function dims(
  inputs: { x: TensorInfo; h0: TensorInfo; lengths?: TensorInfo },
  mode: RnnMode,
  cell: Pick<GpuRnnCell, 'hasCellState'>,
): Dims {
  const sizes = rnnSizes(inputs, mode);
  const { H } = sizes;
  return {
    ...sizes,
    mode,
    W: cell.hasCellState ? 2 * H : H,
    lengths: !!inputs.lengths,
  };
}

/** The part of a kernel cache key that identifies the call's shapes. */
export function dimsKey(d: Dims): string {
  return `${d.mode}:${d.B}x${d.T}x${d.I}x${d.H}:${d.lengths ? 'len' : 'full'}`;
}

/** Expression of the first element of step `t`'s row of batch element `b` in `XP` (`[B*T, G*H]`). */
export function inputRow(d: Dims, b: string): string {
  return `${b} * ${int(d.T * d.GH)} + t * ${int(d.GH)}`;
}

/** Expression of element `(b, t, j)` of `dy` (`[B, T, H]`). */
export function outputAt(d: Dims): string {
  return `b * ${int(d.T * d.H)} + t * ${int(d.H)} + j`;
}

/**
 * Source of a per-step kernel over output `shape`: `t` is a float uniform, `len` (when the call
 * has lengths) the int32 lengths texture; `frozen` is returned for sequences whose step `t` is
 * padding.
 */
function stepSource(
  d: Dims,
  params: readonly string[],
  shape: readonly number[],
  names: readonly string[],
  frozen: string | undefined,
  body: string,
): string {
  const { code, coords } = unravel('i', shape, 'o');
  const lines = [code, ...names.map((name, k) => `const ${name} = ${coords[k]};`)];
  const useLengths = d.lengths && frozen !== undefined;
  if (useLengths) lines.push(`if (t >= len[b]) { return ${frozen}; }`);
  lines.push(body);
  return kernelSource(useLengths ? [...params, 't', 'len'] : [...params, 't'], lines.join('\n'));
}

/** The step a per-step kernel runs for. */
export interface StepAt {
  /** Sizes of the call. */
  readonly d: Dims;
  /** Cache-key part of the call's shapes ({@link dimsKey}). */
  readonly key: string;
  /** The time index of the step. */
  readonly t: number;
  /** The int32 lengths texture, when the call has lengths. */
  readonly len: GpuValue | undefined;
}

/** One per-step kernel of a cell. */
export interface StepKernel {
  /** Cache-key prefix (`rnn-gates`, …). */
  readonly name: string;
  /** Names of its texture arguments. */
  readonly params: readonly string[];
  /** Output shape; the kernel computes one element per thread. */
  readonly shape: readonly number[];
  /** Names of the output coordinates, one per axis of `shape`. */
  readonly coords: readonly string[];
  /**
   * Expression returned for sequences whose step is padding (then the kernel takes the lengths);
   * absent for kernels that always compute.
   */
  readonly frozen?: string;
  /** GLSL-compatible body lines after the coordinates are declared. */
  readonly body: readonly string[];
}

/** Runs (compiling once per call shape) `kernel` for `step` on `args`; returns its output. */
export function runStep(
  backend: GpujsBackend,
  step: StepAt,
  kernel: StepKernel,
  args: readonly KernelArg[],
): GpuValue {
  const { d, key, t, len } = step;
  const { name, params, shape, coords, frozen, body } = kernel;
  const useLengths = d.lengths && len !== undefined && frozen !== undefined;
  return backend.run(
    `${name}:${key}`,
    shape.reduce((a, b) => a * b, 1),
    () => stepSource(d, params, shape, coords, frozen, body.join('\n')),
    useLengths ? [...args, t, len] : [...args, t],
  );
}
