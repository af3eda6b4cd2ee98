import { readdirSync, readFileSync } from 'node:fs';
import type {
  Backend,
  DType,
  KernelOutputs,
  RnnMode,
  RnnWeightsInputs,
  TensorInfo,
} from '@rnnkit/core';
import { GATES_PER_MODE } from '@rnnkit/core';
import { get, put } from './helpers.js';

/** The shared PyTorch fixtures (…/shared/conformance/fixtures next to the `main` checkout). */
export const FIXTURES_DIR = new URL('../../../../shared/conformance/fixtures/', import.meta.url);

/** A fixture with every tensor flattened row-major. */
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
}

type Nested = number | Nested[];
const flat = (t: { data: Nested } | Nested): number[] => {
  const data = typeof t === 'object' && !Array.isArray(t) ? t.data : t;
  return Array.isArray(data)
    ? ((data as unknown[]).flat(Number.POSITIVE_INFINITY) as number[])
    : [data as number];
};

/** Every `*.json` fixture except `index.json`, sorted by name. */
export function loadFixtures(dir: URL = FIXTURES_DIR): Fixture[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'index.json')
    .sort()
    .map((file) => {
      const raw = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
      const record = (r: Record<string, { data: Nested }>) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, flat(v)]));
      return {
        name: file.replace(/\.json$/, ''),
        mode: raw.mode,
        layers: raw.num_layers,
        directions: raw.num_directions,
        batch: raw.batch,
        steps: raw.seq_len,
        inputSize: raw.input_size,
        hidden: raw.hidden_size,
        x: flat(raw.inputs.x),
        h0: flat(raw.inputs.h0),
        c0: raw.inputs.c0 ? flat(raw.inputs.c0) : undefined,
        lengths: raw.inputs.lengths ? flat(raw.inputs.lengths) : undefined,
        params: record(raw.params),
        output: flat(raw.outputs.output),
        hN: flat(raw.outputs.h_n),
        cN: raw.outputs.c_n ? flat(raw.outputs.c_n) : undefined,
        dy: flat(raw.cotangents.dy),
        dhN: flat(raw.cotangents.dh_n),
        dcN: raw.cotangents.dc_n ? flat(raw.cotangents.dc_n) : undefined,
        grads: record(raw.grads),
      };
    });
}

/** What {@link runFixture} computes, keyed like the fixture. */
export interface FixtureRun {
  output: number[];
  hN: number[];
  cN?: number[];
  grads: Record<string, number[]>;
}

function columns(
  values: readonly number[],
  rowWidth: number,
  from: number,
  width: number,
): number[] {
  const out: number[] = [];
  for (let r = 0; r < values.length / rowWidth; r++) {
    for (let j = 0; j < width; j++) out.push(values[r * rowWidth + from + j]);
  }
  return out;
}

function setColumns(
  target: number[],
  rowWidth: number,
  from: number,
  width: number,
  block: readonly number[],
): void {
  for (let r = 0; r < block.length / width; r++) {
    for (let j = 0; j < width; j++) target[r * rowWidth + from + j] = block[r * width + j];
  }
}

/**
 * Runs a fixture's layer stack with the backend's RnnForward and RnnBackward kernels called
 * directly, one call per layer and direction. The glue between calls (joining directions along
 * features, splitting the output gradient, summing the directions' dx) happens on the host.
 */
export function runFixture(
  backend: Backend,
  fixture: Fixture,
  dtype: DType = 'float32',
): FixtureRun {
  const { batch: B, steps: T, hidden: H, directions: D, mode } = fixture;
  const G = GATES_PER_MODE[mode];
  const kernels = backend.kernels as unknown as {
    RnnForward: (i: RnnWeightsInputs, a: object, b: Backend) => KernelOutputs<'RnnForward'>;
    RnnBackward: (i: object, a: object, b: Backend) => KernelOutputs<'RnnBackward'>;
  };
  const stateSize = B * H;
  const state = (all: readonly number[] | undefined, index: number) =>
    all?.slice(index * stateSize, (index + 1) * stateSize);
  const calls: {
    inputs: RnnWeightsInputs;
    outputs: KernelOutputs<'RnnForward'>;
    inputSize: number;
  }[][] = [];
  const hN = new Array<number>(fixture.hN.length).fill(0);
  const cN = fixture.cN ? new Array<number>(fixture.cN.length).fill(0) : undefined;
  let layerInput = fixture.x;
  let inputSize = fixture.inputSize;
  let output: number[] = [];
  for (let layer = 0; layer < fixture.layers; layer++) {
    output = new Array<number>(B * T * D * H).fill(0);
    calls.push([]);
    for (let direction = 0; direction < D; direction++) {
      const suffix = `_l${layer}${direction === 1 ? '_reverse' : ''}`;
      const index = layer * D + direction;
      const inputs: RnnWeightsInputs = {
        x: put(backend, layerInput, [B, T, inputSize], dtype),
        wIh: put(backend, fixture.params[`weight_ih${suffix}`], [G * H, inputSize], dtype),
        wHh: put(backend, fixture.params[`weight_hh${suffix}`], [G * H, H], dtype),
        bIh: put(backend, fixture.params[`bias_ih${suffix}`], [G * H], dtype),
        bHh: put(backend, fixture.params[`bias_hh${suffix}`], [G * H], dtype),
        h0: put(backend, state(fixture.h0, index) ?? [], [B, H], dtype),
      };
      if (mode === 'LSTM')
        inputs.c0 = put(
          backend,
          state(fixture.c0, index) ?? new Array(stateSize).fill(0),
          [B, H],
          dtype,
        );
      if (fixture.lengths) inputs.lengths = put(backend, fixture.lengths, [B], 'int32');
      const outputs = kernels.RnnForward(
        inputs,
        { mode, reverse: direction === 1, training: true },
        backend,
      );
      calls[layer].push({ inputs, outputs, inputSize });
      setColumns(output, D * H, direction * H, H, get(backend, outputs.y));
      hN.splice(index * stateSize, stateSize, ...get(backend, outputs.hN));
      if (cN && outputs.cN) cN.splice(index * stateSize, stateSize, ...get(backend, outputs.cN));
    }
    layerInput = output;
    inputSize = D * H;
  }
  const grads: Record<string, number[]> = { h0: new Array<number>(fixture.h0.length).fill(0) };
  if (fixture.c0) grads.c0 = new Array<number>(fixture.c0.length).fill(0);
  let dOutput = fixture.dy;
  for (let layer = fixture.layers - 1; layer >= 0; layer--) {
    const dInput = new Array<number>(B * T * calls[layer][0].inputSize).fill(0);
    for (let direction = 0; direction < D; direction++) {
      const suffix = `_l${layer}${direction === 1 ? '_reverse' : ''}`;
      const index = layer * D + direction;
      const { inputs, outputs } = calls[layer][direction];
      const extra: Record<string, TensorInfo> = {
        y: outputs.y,
        reserve: outputs.reserve,
        dy: put(backend, columns(dOutput, D * H, direction * H, H), [B, T, H], dtype),
        dhN: put(backend, state(fixture.dhN, index) ?? [], [B, H], dtype),
      };
      if (mode === 'LSTM')
        extra.dcN = put(
          backend,
          state(fixture.dcN, index) ?? new Array(stateSize).fill(0),
          [B, H],
          dtype,
        );
      const g = kernels.RnnBackward(
        { ...inputs, ...extra },
        { mode, reverse: direction === 1 },
        backend,
      );
      grads[`weight_ih${suffix}`] = get(backend, g.dWIh);
      grads[`weight_hh${suffix}`] = get(backend, g.dWHh);
      grads[`bias_ih${suffix}`] = get(backend, g.dBIh);
      grads[`bias_hh${suffix}`] = get(backend, g.dBHh);
      grads.h0.splice(index * stateSize, stateSize, ...get(backend, g.dh0));
      if (grads.c0 && g.dc0) grads.c0.splice(index * stateSize, stateSize, ...get(backend, g.dc0));
      const dx = get(backend, g.dx);
      for (let i = 0; i < dInput.length; i++) dInput[i] += dx[i];
      const infos = [
        ...Object.values(g),
        ...Object.values(extra),
        ...Object.values(inputs),
        ...Object.values(outputs),
      ];
      for (const dataId of new Set(infos.map((info) => info?.dataId)))
        if (dataId) backend.disposeData(dataId);
    }
    dOutput = dInput;
  }
  grads.x = dOutput;
  return { output, hN, cN, grads };
}
