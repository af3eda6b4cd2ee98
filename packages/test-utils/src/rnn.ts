/**
 * One fused recurrent call (forward, backward, loss) on a backend from plain host arrays, for the
 * backends' tests and the fixture runner.
 */
import type {
  Backend,
  DType,
  KernelFunc,
  KernelOutputs,
  RnnMode,
  RnnWeightsInputs,
  TensorInfo,
} from '@rnnkit/core';
import { GATES_PER_MODE } from '@rnnkit/core';
import { type RandomSource, uniform } from './random.js';
import { disposeAll, get, put, zeros } from './tensors.js';

/** One layer, one direction of a recurrent problem, as plain row-major arrays. */
export interface RnnProblem {
  mode: RnnMode;
  reverse: boolean;
  batch: number;
  steps: number;
  inputSize: number;
  hidden: number;
  x: number[];
  wIh: number[];
  wHh: number[];
  bIh: number[];
  bHh: number[];
  h0: number[];
  /** LSTM only (zeros when absent). */
  c0?: number[];
  lengths?: number[];
  /** Checkpoint segment length passed as the kernels' `checkpoint` attribute (absent: plain path). */
  checkpoint?: number;
}

/** The options of a random {@link RnnProblem}: direction (forward by default), lengths, checkpoint. */
export type RnnProblemOptions = Partial<Pick<RnnProblem, 'reverse' | 'lengths' | 'checkpoint'>>;

/**
 * A problem of `mode` and sizes `[B, T, I, H]` with uniform random values: weights and biases
 * in ±1/√H (PyTorch's initialisation), inputs in ±1, initial states in ±0.5 (`c0` for an LSTM
 * only).
 */
export function randomRnnProblem(
  random: RandomSource,
  mode: RnnMode,
  [B, T, I, H]: readonly number[],
  options: RnnProblemOptions = {},
): RnnProblem {
  const GH = GATES_PER_MODE[mode] * H;
  const bound = 1 / Math.sqrt(H);
  return {
    mode,
    reverse: false,
    ...options,
    batch: B,
    steps: T,
    inputSize: I,
    hidden: H,
    x: uniform(random, B * T * I),
    wIh: uniform(random, GH * I, -bound, bound),
    wHh: uniform(random, GH * H, -bound, bound),
    bIh: uniform(random, GH, -bound, bound),
    bHh: uniform(random, GH, -bound, bound),
    h0: uniform(random, B * H, -0.5, 0.5),
    c0: mode === 'LSTM' ? uniform(random, B * H, -0.5, 0.5) : undefined,
  };
}

/** Uniform random cotangents in ±1 for `problem` (`dcN` for an LSTM only). */
export function randomCotangents(random: RandomSource, problem: RnnProblem): RnnCotangents {
  const { batch: B, steps: T, hidden: H } = problem;
  return {
    dy: uniform(random, B * T * H),
    dhN: uniform(random, B * H),
    dcN: problem.mode === 'LSTM' ? uniform(random, B * H) : undefined,
  };
}

/** The attributes both recurrent kernels get for `problem`. */
function rnnAttrs(problem: RnnProblem): { mode: RnnMode; reverse: boolean; checkpoint?: number } {
  const { mode, reverse, checkpoint } = problem;
  return checkpoint === undefined ? { mode, reverse } : { mode, reverse, checkpoint };
}

/** Loss cotangents: dL/dy, dL/dhN and (LSTM) dL/dcN. */
export interface RnnCotangents {
  dy: number[];
  dhN: number[];
  dcN?: number[];
}

/** Forward results read back to plain arrays, plus the raw inputs and outputs for the backward. */
export interface ForwardResult {
  y: number[];
  hN: number[];
  cN?: number[];
  inputs: RnnWeightsInputs;
  outputs: KernelOutputs<'RnnForward'>;
}

/** Gradients of every differentiable input, as plain arrays. */
export interface RnnGradients {
  x: number[];
  wIh: number[];
  wHh: number[];
  bIh: number[];
  bHh: number[];
  h0: number[];
  c0?: number[];
}

/** {@link RnnGradients} plus every tensor the backward call wrote or produced (to free). */
export interface BackwardResult extends RnnGradients {
  tensors: TensorInfo[];
}

function rnnKernels(backend: Backend) {
  return {
    forward: backend.kernels.RnnForward as unknown as KernelFunc<'RnnForward', Backend>,
    backward: backend.kernels.RnnBackward as unknown as KernelFunc<'RnnBackward', Backend>,
  };
}

/** Writes the inputs of `problem` to `backend` in `dtype` (lengths as int32). */
export function writeRnnInputs(
  backend: Backend,
  problem: RnnProblem,
  dtype: DType,
): RnnWeightsInputs {
  const { batch: B, steps: T, inputSize: I, hidden: H } = problem;
  const GH = GATES_PER_MODE[problem.mode] * H;
  const inputs: RnnWeightsInputs = {
    x: put(backend, problem.x, [B, T, I], dtype),
    wIh: put(backend, problem.wIh, [GH, I], dtype),
    wHh: put(backend, problem.wHh, [GH, H], dtype),
    bIh: put(backend, problem.bIh, [GH], dtype),
    bHh: put(backend, problem.bHh, [GH], dtype),
    h0: put(backend, problem.h0, [B, H], dtype),
  };
  if (problem.mode === 'LSTM') inputs.c0 = put(backend, problem.c0 ?? zeros(B * H), [B, H], dtype);
  if (problem.lengths) inputs.lengths = put(backend, problem.lengths, [B], 'int32');
  return inputs;
}

/** Runs the backend's RnnForward on `problem` (float64 unless `dtype` says otherwise). */
export function runForward(
  backend: Backend,
  problem: RnnProblem,
  dtype: DType = 'float64',
  training = true,
): ForwardResult {
  const inputs = writeRnnInputs(backend, problem, dtype);
  const outputs = rnnKernels(backend).forward(inputs, { ...rnnAttrs(problem), training }, backend);
  return {
    y: get(backend, outputs.y),
    hN: get(backend, outputs.hN),
    cN: outputs.cN ? get(backend, outputs.cN) : undefined,
    inputs,
    outputs,
  };
}

/** Runs the backend's RnnBackward after `forward` with the given cotangents. */
export function runBackward(
  backend: Backend,
  problem: RnnProblem,
  forward: ForwardResult,
  cotangents: RnnCotangents,
  dtype: DType = 'float64',
): BackwardResult {
  const { batch: B, steps: T, hidden: H } = problem;
  const extra: {
    y: TensorInfo;
    reserve: TensorInfo;
    dy: TensorInfo;
    dhN: TensorInfo;
    dcN?: TensorInfo;
  } = {
    y: forward.outputs.y,
    reserve: forward.outputs.reserve,
    dy: put(backend, cotangents.dy, [B, T, H], dtype),
    dhN: put(backend, cotangents.dhN, [B, H], dtype),
  };
  if (problem.mode === 'LSTM')
    extra.dcN = put(backend, cotangents.dcN ?? zeros(B * H), [B, H], dtype);
  const grads = rnnKernels(backend).backward(
    { ...forward.inputs, ...extra },
    rnnAttrs(problem),
    backend,
  );
  return {
    x: get(backend, grads.dx),
    wIh: get(backend, grads.dWIh),
    wHh: get(backend, grads.dWHh),
    bIh: get(backend, grads.dBIh),
    bHh: get(backend, grads.dBHh),
    h0: get(backend, grads.dh0),
    c0: grads.dc0 ? get(backend, grads.dc0) : undefined,
    tensors: [
      ...Object.values(grads),
      ...Object.values(extra),
      ...Object.values(forward.inputs),
      ...Object.values(forward.outputs),
    ].filter((info): info is TensorInfo => info !== undefined),
  };
}

/**
 * RnnForward (training) then RnnBackward of `problem` on `backend`, everything read back and
 * freed: `y`, `hN`, `cN` and the gradients `dx`, `dwIh`, `dwHh`, `dbIh`, `dbHh`, `dh0`, `dc0`
 * (those the mode has). `inspect` sees the forward's outputs (its reserve) before they are freed.
 */
export function runTraining(
  backend: Backend,
  problem: RnnProblem,
  cotangents: RnnCotangents,
  dtype: DType = 'float64',
  inspect?: (outputs: KernelOutputs<'RnnForward'>) => void,
): Record<string, number[]> {
  const forward = runForward(backend, problem, dtype);
  inspect?.(forward.outputs);
  const { tensors, ...grads } = runBackward(backend, problem, forward, cotangents, dtype);
  disposeAll(backend, tensors);
  const out: Record<string, number[] | undefined> = {
    y: forward.y,
    hN: forward.hN,
    cN: forward.cN,
  };
  for (const [k, v] of Object.entries(grads)) out[`d${k}`] = v;
  return Object.fromEntries(
    Object.entries(out).filter((e): e is [string, number[]] => e[1] !== undefined),
  );
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** `L = sum(y*dy) + sum(hN*dhN) + sum(cN*dcN)`, evaluated with RnnForward in float64. */
export function rnnLoss(backend: Backend, problem: RnnProblem, cotangents: RnnCotangents): number {
  const { y, hN, cN, inputs, outputs } = runForward(backend, problem, 'float64', false);
  let loss = dot(y, cotangents.dy) + dot(hN, cotangents.dhN);
  if (cN && cotangents.dcN) loss += dot(cN, cotangents.dcN);
  disposeAll(backend, [...Object.values(inputs), ...Object.values(outputs)]);
  return loss;
}
