import type { DType, KernelOutputs, RnnMode, RnnWeightsInputs, TensorInfo } from '@rnnkit/core';
import { GATES_PER_MODE } from '@rnnkit/core';
import type { CpuBackend } from '../../backend.js';
import { rnnBackward } from '../RnnBackward.js';
import { rnnForward } from '../RnnForward.js';
import { get, put } from './tensors.js';

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
  /** LSTM only. */
  c0?: number[];
  lengths?: number[];
}

/** Loss cotangents: dL/dy, dL/dhN and (LSTM) dL/dcN. */
export interface RnnCotangents {
  dy: number[];
  dhN: number[];
  dcN?: number[];
}

/** Forward results read back to plain arrays, plus the raw outputs for the backward. */
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

/** Writes the inputs of `problem` to `backend` in `dtype`. */
export function writeRnnInputs(
  backend: CpuBackend,
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

/** Runs RnnForward on `problem`. */
export function runForward(
  backend: CpuBackend,
  problem: RnnProblem,
  dtype: DType = 'float64',
  training = true,
): ForwardResult {
  const inputs = writeRnnInputs(backend, problem, dtype);
  const outputs = rnnForward(
    inputs,
    { mode: problem.mode, reverse: problem.reverse, training },
    backend,
  );
  return {
    y: get(backend, outputs.y),
    hN: get(backend, outputs.hN),
    cN: outputs.cN ? get(backend, outputs.cN) : undefined,
    inputs,
    outputs,
  };
}

/** Runs RnnBackward after `forward` with the given cotangents. */
export function runBackward(
  backend: CpuBackend,
  problem: RnnProblem,
  forward: ForwardResult,
  cotangents: RnnCotangents,
  dtype: DType = 'float64',
): RnnGradients {
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
  const grads = rnnBackward(
    { ...forward.inputs, ...extra },
    { mode: problem.mode, reverse: problem.reverse },
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
  };
}

/** `L = sum(y*dy) + sum(hN*dhN) + sum(cN*dcN)`, evaluated with RnnForward in float64. */
export function rnnLoss(
  backend: CpuBackend,
  problem: RnnProblem,
  cotangents: RnnCotangents,
): number {
  const { y, hN, cN, inputs, outputs } = runForward(backend, problem, 'float64', false);
  let loss = dot(y, cotangents.dy) + dot(hN, cotangents.dhN);
  if (cN && cotangents.dcN) loss += dot(cN, cotangents.dcN);
  for (const info of [...Object.values(inputs), ...Object.values(outputs)]) {
    if (info) backend.disposeData(info.dataId);
  }
  return loss;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** `n` zeros. */
export function zeros(n: number): number[] {
  return new Array<number>(n).fill(0);
}
