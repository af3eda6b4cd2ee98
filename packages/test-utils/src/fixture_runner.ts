/**
 * A PyTorch fixture's whole layer stack run on a backend's fused kernels directly, with the
 * glue between layers and directions done on the host as PyTorch does it. Its own file: the
 * stacking is the one part of fixture checking that is not a single kernel call.
 */
import { type Backend, type DType, RNN_PARAM_SLOTS, rnnParamNames } from '@rnnkit/core';
import type { Fixture, FixtureTensor } from '@rnnkit/testing';
import { type ForwardResult, type RnnProblem, runBackward, runForward } from './rnn.js';
import { disposeAll } from './tensors.js';

/** What {@link runFixture} computes, keyed like the fixture. */
export interface FixtureRun {
  output: number[];
  hN: number[];
  cN?: number[];
  /** The output of every layer, the last one included. */
  layerOutputs: number[][];
  grads: Record<string, number[]>;
}

/** Feature block `[from, from + width)` of every row of a `[rows, rowWidth]` array. */
export function columns(
  values: readonly number[],
  rowWidth: number,
  from: number,
  width: number,
): number[] {
  const rows = values.length / rowWidth;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < width; j++) out.push(values[r * rowWidth + from + j]);
  }
  return out;
}

/** Writes `block` (rows of `width`) into feature block `from` of `target` (rows of `rowWidth`). */
export function setColumns(
  target: number[],
  rowWidth: number,
  from: number,
  width: number,
  block: readonly number[],
): void {
  const rows = block.length / width;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < width; j++) target[r * rowWidth + from + j] = block[r * width + j];
  }
}

/**
 * Runs a fixture's whole layer stack with the backend's RnnForward and RnnBackward kernels
 * called directly, one call per layer and direction. The glue between calls (joining directions
 * along features, splitting the output gradient between directions, summing their dx) happens
 * on the host, as PyTorch does it. Every tensor written or produced is freed once read.
 */
export function runFixture(
  backend: Backend,
  fixture: Fixture,
  dtype: DType = 'float64',
): FixtureRun {
  const { batch: B, seqLen: T, hiddenSize: H, mode } = fixture;
  const D = fixture.bidirectional ? 2 : 1;
  const stateSize = B * H;
  const flat = (t: FixtureTensor): number[] => Array.from(t.data);
  const state = (all: FixtureTensor | undefined, index: number) =>
    all && Array.from(all.data.subarray(index * stateSize, (index + 1) * stateSize));
  const param = (name: string) => flat(fixture.params[name]);
  const problems: RnnProblem[][] = [];
  const forwards: ForwardResult[][] = [];
  const layerOutputs: number[][] = [];
  const hN = new Array<number>(fixture.outputs.hN.data.length).fill(0);
  const cN = fixture.outputs.cN
    ? new Array<number>(fixture.outputs.cN.data.length).fill(0)
    : undefined;

  let layerInput = flat(fixture.x);
  let inputSize = fixture.inputSize;
  for (let layer = 0; layer < fixture.numLayers; layer++) {
    const output = new Array<number>(B * T * D * H).fill(0);
    problems.push([]);
    forwards.push([]);
    for (let direction = 0; direction < D; direction++) {
      const names = rnnParamNames(layer, direction === 1);
      const index = layer * D + direction;
      const problem: RnnProblem = {
        mode,
        reverse: direction === 1,
        batch: B,
        steps: T,
        inputSize,
        hidden: H,
        x: layerInput,
        wIh: param(names.wIh),
        wHh: param(names.wHh),
        bIh: param(names.bIh),
        bHh: param(names.bHh),
        h0: state(fixture.h0, index) ?? [],
        c0: state(fixture.c0, index),
        lengths: fixture.lengths,
      };
      const forward = runForward(backend, problem, dtype);
      problems[layer].push(problem);
      forwards[layer].push(forward);
      setColumns(output, D * H, direction * H, H, forward.y);
      hN.splice(index * stateSize, stateSize, ...forward.hN);
      if (cN && forward.cN) cN.splice(index * stateSize, stateSize, ...forward.cN);
    }
    layerOutputs.push(output);
    layerInput = output;
    inputSize = D * H;
  }

  const grads: Record<string, number[]> = {
    h0: new Array<number>(fixture.h0.data.length).fill(0),
  };
  if (fixture.c0) grads.c0 = new Array<number>(fixture.c0.data.length).fill(0);
  let dOutput = flat(fixture.cotangents.dy);
  for (let layer = fixture.numLayers - 1; layer >= 0; layer--) {
    const problemInputSize = problems[layer][0].inputSize;
    const dInput = new Array<number>(B * T * problemInputSize).fill(0);
    for (let direction = 0; direction < D; direction++) {
      const names = rnnParamNames(layer, direction === 1);
      const index = layer * D + direction;
      const g = runBackward(
        backend,
        problems[layer][direction],
        forwards[layer][direction],
        {
          dy: columns(dOutput, D * H, direction * H, H),
          dhN: state(fixture.cotangents.dhN, index) ?? [],
          dcN: state(fixture.cotangents.dcN, index),
        },
        dtype,
      );
      for (const slot of RNN_PARAM_SLOTS) grads[names[slot]] = g[slot];
      grads.h0.splice(index * stateSize, stateSize, ...g.h0);
      if (grads.c0 && g.c0) grads.c0.splice(index * stateSize, stateSize, ...g.c0);
      for (let i = 0; i < dInput.length; i++) dInput[i] += g.x[i];
      disposeAll(backend, g.tensors);
    }
    dOutput = dInput;
  }
  grads.x = dOutput;
  return { output: layerOutputs[layerOutputs.length - 1], hN, cN, layerOutputs, grads };
}
