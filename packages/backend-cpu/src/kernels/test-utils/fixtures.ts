import { readdirSync, readFileSync } from 'node:fs';
import type { DType, RnnMode } from '@rnnkit/core';
import type { CpuBackend } from '../../backend.js';
import { type ForwardResult, type RnnProblem, runBackward, runForward } from './rnn.js';

/**
 * The shared PyTorch fixtures, found relative to this file (packages/backend-cpu/src/kernels/
 * test-utils/ up to the directory holding `main/` and `shared/`), so any clone placed next to
 * `shared/` finds them.
 */
export const FIXTURES_DIR = new URL(
  '../../../../../../shared/conformance/fixtures/',
  import.meta.url,
);

/** A fixture's content with every tensor flattened to row-major numbers. */
export interface Fixture {
  name: string;
  mode: RnnMode;
  layers: number;
  directions: number;
  batch: number;
  steps: number;
  inputSize: number;
  hidden: number;
  x: number[];
  /** `[layers*dirs, B, H]`. */
  h0: number[];
  c0?: number[];
  lengths?: number[];
  params: Record<string, number[]>;
  output: number[];
  hN: number[];
  cN?: number[];
  dy: number[];
  dhN: number[];
  dcN?: number[];
  grads: Record<string, number[]>;
  /** Output of each layer except the last, when the fixture records them. */
  layerOutputs?: number[][];
}

type Nested = number | Nested[];
interface JsonTensor {
  shape: number[];
  data: Nested;
}

function flat(tensor: JsonTensor | Nested): number[] {
  const data = typeof tensor === 'object' && !Array.isArray(tensor) ? tensor.data : tensor;
  const out: number[] = [];
  const visit = (value: Nested): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else out.push(value);
  };
  visit(data);
  return out;
}

function flatRecord(record: Record<string, JsonTensor>): Record<string, number[]> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, flat(value)]));
}

/** Every fixture file of the directory (all `*.json` except `index.json`), sorted by name. */
export function loadFixtures(dir: URL = FIXTURES_DIR): Fixture[] {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.json') && file !== 'index.json')
    .sort();
  return files.map((file) => {
    const raw = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    const inputs = raw.inputs;
    return {
      name: file.replace(/\.json$/, ''),
      mode: raw.mode,
      layers: raw.num_layers,
      directions: raw.num_directions,
      batch: raw.batch,
      steps: raw.seq_len,
      inputSize: raw.input_size,
      hidden: raw.hidden_size,
      x: flat(inputs.x),
      h0: flat(inputs.h0),
      c0: inputs.c0 ? flat(inputs.c0) : undefined,
      lengths: inputs.lengths ? flat(inputs.lengths) : undefined,
      params: flatRecord(raw.params),
      output: flat(raw.outputs.output),
      hN: flat(raw.outputs.h_n),
      cN: raw.outputs.c_n ? flat(raw.outputs.c_n) : undefined,
      dy: flat(raw.cotangents.dy),
      dhN: flat(raw.cotangents.dh_n),
      dcN: raw.cotangents.dc_n ? flat(raw.cotangents.dc_n) : undefined,
      grads: flatRecord(raw.grads),
      layerOutputs: raw.intermediate?.layer_outputs?.map(flat),
    };
  });
}

/** What {@link runFixture} computes, keyed like the fixture. */
export interface FixtureRun {
  output: number[];
  hN: number[];
  cN?: number[];
  layerOutputs: number[][];
  grads: Record<string, number[]>;
}

/** Feature block `[from, from + width)` of every row of a `[rows, rowWidth]` array. */
function columns(
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
function setColumns(
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
 * Runs a fixture's whole layer stack with the RnnForward and RnnBackward kernels: each layer and
 * direction is one kernel call, directions are concatenated along features, and the backward
 * splits the output gradient between directions and sums their dx.
 */
export function runFixture(
  backend: CpuBackend,
  fixture: Fixture,
  dtype: DType = 'float64',
): FixtureRun {
  const { batch: B, steps: T, hidden: H, directions: D, mode } = fixture;
  const stateSize = B * H;
  const state = (all: readonly number[] | undefined, index: number) =>
    all?.slice(index * stateSize, (index + 1) * stateSize);
  const problems: RnnProblem[][] = [];
  const forwards: ForwardResult[][] = [];
  const layerOutputs: number[][] = [];
  const hN = new Array<number>(fixture.hN.length).fill(0);
  const cN = fixture.cN ? new Array<number>(fixture.cN.length).fill(0) : undefined;

  let layerInput = fixture.x;
  let inputSize = fixture.inputSize;
  for (let layer = 0; layer < fixture.layers; layer++) {
    const output = new Array<number>(B * T * D * H).fill(0);
    problems.push([]);
    forwards.push([]);
    for (let direction = 0; direction < D; direction++) {
      const suffix = `_l${layer}${direction === 1 ? '_reverse' : ''}`;
      const index = layer * D + direction;
      const problem: RnnProblem = {
        mode,
        reverse: direction === 1,
        batch: B,
        steps: T,
        inputSize,
        hidden: H,
        x: layerInput,
        wIh: fixture.params[`weight_ih${suffix}`],
        wHh: fixture.params[`weight_hh${suffix}`],
        bIh: fixture.params[`bias_ih${suffix}`],
        bHh: fixture.params[`bias_hh${suffix}`],
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
    h0: new Array<number>(fixture.h0.length).fill(0),
  };
  if (fixture.c0) grads.c0 = new Array<number>(fixture.c0.length).fill(0);
  let dOutput = fixture.dy;
  for (let layer = fixture.layers - 1; layer >= 0; layer--) {
    const problemInputSize = problems[layer][0].inputSize;
    const dInput = new Array<number>(B * T * problemInputSize).fill(0);
    for (let direction = 0; direction < D; direction++) {
      const suffix = `_l${layer}${direction === 1 ? '_reverse' : ''}`;
      const index = layer * D + direction;
      const g = runBackward(
        backend,
        problems[layer][direction],
        forwards[layer][direction],
        {
          dy: columns(dOutput, D * H, direction * H, H),
          dhN: state(fixture.dhN, index) ?? [],
          dcN: state(fixture.dcN, index),
        },
        dtype,
      );
      grads[`weight_ih${suffix}`] = g.wIh;
      grads[`weight_hh${suffix}`] = g.wHh;
      grads[`bias_ih${suffix}`] = g.bIh;
      grads[`bias_hh${suffix}`] = g.bHh;
      grads.h0.splice(index * stateSize, stateSize, ...g.h0);
      if (grads.c0 && g.c0) grads.c0.splice(index * stateSize, stateSize, ...g.c0);
      for (let i = 0; i < dInput.length; i++) dInput[i] += g.x[i];
    }
    dOutput = dInput;
  }
  grads.x = dOutput;
  return { output: layerOutputs[layerOutputs.length - 1], hN, cN, layerOutputs, grads };
}
