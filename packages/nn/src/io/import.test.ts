/**
 * Tests of weight import: the safetensors reader and writer, and PyTorch and Keras weights
 * reproducing every conformance fixture.
 */
import '@rnnkit/backend-cpu';
import { FormatError, rnnParamNames, setBackend, type Tensor, tensor } from '@rnnkit/core';
import { type Fixture, type FixtureTensor, loadFixtures } from '@rnnkit/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerFor } from '../../test/fixture.js';
import { Bidirectional } from '../layers/bidirectional.js';
import { GRU } from '../layers/gru.js';
import type { RecurrentLayer } from '../layers/recurrent.js';
import { Sequential } from '../models/sequential.js';
import { floatToBf16, floatToHalf, halfToFloat } from './half.js';
import {
  type KerasArray,
  type KerasRnnWeights,
  kerasToPytorch,
  loadKerasWeights,
} from './keras_import.js';
import { loadSafetensors } from './pytorch_import.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';

const fixtures = loadFixtures();
const flat = (t: FixtureTensor): number[] => Array.from(t.data);

beforeAll(async () => {
  await setBackend('cpu');
});

type Forwardable = { forward(x: Tensor, o: object): { output: Tensor; hN: Tensor; cN?: Tensor } };

/** Runs the fixture's inputs and returns the largest error relative to each output's scale. */
function maxRelError(layer: Forwardable, fx: Fixture, dtype: 'float32' | 'float64'): number {
  const t = (f: FixtureTensor) => tensor(flat(f), f.shape, dtype);
  const x = t(fx.x);
  const initialState = { h: t(fx.h0), ...(fx.c0 ? { c: t(fx.c0) } : {}) };
  const lengths = fx.lengths;
  const r = layer.forward(x, { initialState, lengths });
  let worst = 0;
  const pairs: [Tensor, FixtureTensor][] = [
    [r.output, fx.outputs.output],
    [r.hN, fx.outputs.hN],
  ];
  if (fx.outputs.cN && r.cN) pairs.push([r.cN, fx.outputs.cN]);
  for (const [got, want] of pairs) {
    expect(got.shape).toEqual(want.shape);
    const w = flat(want);
    const scale = Math.max(1e-3, ...w.map(Math.abs));
    const g = got.dataSync();
    w.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(g[i] - v) / scale);
    });
  }
  return worst;
}

function safetensorsOf(fx: Fixture, dtype: 'F64' | 'F32', prefix = ''): ArrayBuffer {
  const entries: Record<string, { dtype: 'F64' | 'F32'; shape: number[]; data: number[] }> = {};
  for (const [name, t] of Object.entries(fx.params))
    entries[prefix + name] = { dtype, shape: t.shape, data: flat(t) };
  return writeSafetensors(entries, { format: 'pt' });
}

describe('safetensors reader/writer', () => {
  it('round-trips F64, F32, F16 and BF16 and keeps metadata', () => {
    const buf = writeSafetensors(
      {
        a: { dtype: 'F64', shape: [2], data: [0.1, -1e300] },
        b: { dtype: 'F32', shape: [1, 2], data: [0.5, 3.25] },
        c: { dtype: 'F16', shape: [3], data: [1.5, -0.333251953125, 65504] },
        d: { dtype: 'BF16', shape: [2], data: [1.5, -3.140625] },
      },
      { format: 'pt' },
    );
    const { tensors, metadata } = readSafetensors(buf);
    expect(metadata).toEqual({ format: 'pt' });
    expect(Array.from(tensors.get('a')!.data)).toEqual([0.1, -1e300]);
    expect(tensors.get('b')!.shape).toEqual([1, 2]);
    expect(Array.from(tensors.get('c')!.data)).toEqual([1.5, -0.333251953125, 65504]);
    expect(Array.from(tensors.get('d')!.data)).toEqual([1.5, -3.140625]);
    const n = new DataView(buf).getBigUint64(0, true);
    expect(Number(n + 8n) % 8).toBe(0);
  });
  it('converts half and bfloat16 bits exactly', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(floatToHalf(1)).toBe(0x3c00);
    expect(floatToHalf(1e6)).toBe(0x7c00);
    expect(floatToBf16(1)).toBe(0x3f80);
  });
  it('refuses truncated and malformed files', () => {
    const good = new Uint8Array(
      writeSafetensors({ w: { dtype: 'F32', shape: [4], data: [1, 2, 3, 4] } }),
    );
    expect(() => readSafetensors(good.slice(0, 5))).toThrow(FormatError);
    expect(() => readSafetensors(good.slice(0, good.length - 4))).toThrow(/truncated/);
    const bad = good.slice();
    new DataView(bad.buffer).setBigUint64(0, 10_000n, true);
    expect(() => readSafetensors(bad)).toThrow(/exceeds the file/);
    const header = (h: object) => {
      const json = new TextEncoder().encode(JSON.stringify(h));
      const out = new Uint8Array(8 + json.length + 16);
      new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
      out.set(json, 8);
      return out;
    };
    expect(() =>
      readSafetensors(header({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 12] } })),
    ).toThrow(/needs 8/);
    expect(() =>
      readSafetensors(header({ w: { dtype: 'C64', shape: [2], data_offsets: [0, 16] } })),
    ).toThrow(/unsupported dtype/);
  });
});

describe('PyTorch state_dict (safetensors) import reproduces every conformance fixture', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s (float64, 1e-12)', (_name, fx) => {
    const layer = layerFor(fx, { dtype: 'float64' });
    loadSafetensors(layer, safetensorsOf(fx, 'F64'));
    expect(maxRelError(layer, fx, 'float64')).toBeLessThan(1e-12);
    layer.dispose();
  });
  it('float32 weights into a float32 layer (1e-4), and a prefixed module in a Sequential', () => {
    const fx = fixtures.find((f) => f.name === 'lstm_l2_bi')!;
    const layer = layerFor(fx, { dtype: 'float32' });
    loadSafetensors(layer, safetensorsOf(fx, 'F32', 'rnn.'), { prefix: 'rnn.' });
    expect(maxRelError(layer, fx, 'float32')).toBeLessThan(1e-4);
    const seq = new Sequential([layerFor(fx, { dtype: 'float64' })]);
    loadSafetensors(seq, safetensorsOf(fx, 'F64', '0.'));
    expect(maxRelError(seq.layers[0] as RecurrentLayer, fx, 'float64')).toBeLessThan(1e-12);
    expect(() => loadSafetensors(seq, safetensorsOf(fx, 'F64'))).toThrow(/missing: 0.weight_ih_l0/);
    layer.dispose();
    seq.dispose();
  });
});

// ---------------------------------------------------------------- Keras layouts

const GATES = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 } as const;

/** PyTorch `[G·H, in]` → Keras `[in, G·H]` with Keras' block order (GRU: z, r, h ← r, z, n). */
function kerasKernel(w: FixtureTensor, H: number, gru: boolean): KerasArray {
  const [rows, cols] = w.shape;
  const v = flat(w);
  const order = gru ? [1, 0, 2] : Array.from({ length: rows / H }, (_, k) => k);
  const data = new Float64Array(rows * cols);
  order.forEach((src, k) => {
    for (let j = 0; j < H; j++)
      for (let i = 0; i < cols; i++) data[i * rows + k * H + j] = v[(src * H + j) * cols + i];
  });
  return { shape: [cols, rows], data };
}

function kerasLayer(fx: Fixture, l: number, reverse: boolean): KerasRnnWeights {
  const names = rnnParamNames(l, reverse);
  const H = fx.hiddenSize;
  const gru = fx.mode === 'GRU';
  const bIh = flat(fx.params[names.bIh]);
  const bHh = flat(fx.params[names.bHh]);
  let bias: KerasArray;
  if (gru) {
    const perm = (b: number[]) => [1, 0, 2].flatMap((k) => b.slice(k * H, (k + 1) * H));
    bias = { shape: [2, 3 * H], data: [...perm(bIh), ...perm(bHh)] };
  } else {
    bias = { shape: [GATES[fx.mode] * H], data: bIh.map((v, i) => v + bHh[i]) };
  }
  return {
    kernel: kerasKernel(fx.params[names.wIh], H, gru),
    recurrentKernel: kerasKernel(fx.params[names.wHh], H, gru),
    bias,
  };
}

describe('Keras weight import reproduces every conformance fixture', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s (Keras layout, float64)', (_name, fx) => {
    const layer = layerFor(fx, { dtype: 'float64' });
    const stack = Array.from({ length: fx.numLayers }, (_, l) =>
      fx.bidirectional
        ? { forward: kerasLayer(fx, l, false), backward: kerasLayer(fx, l, true) }
        : kerasLayer(fx, l, false),
    );
    loadKerasWeights(layer, stack);
    // the single Keras bias is b_ih + b_hh: the same equations up to rounding of that sum
    expect(maxRelError(layer, fx, 'float64')).toBeLessThan(1e-10);
    layer.dispose();
  });

  it('loads a Keras Bidirectional into the Bidirectional wrapper', () => {
    for (const fx of fixtures.filter((f) => f.bidirectional && f.numLayers === 1)) {
      const inner = layerFor({ ...fx, bidirectional: false, numLayers: 1 });
      const bi = new Bidirectional(inner);
      loadKerasWeights(bi, [
        { forward: kerasLayer(fx, 0, false), backward: kerasLayer(fx, 0, true) },
      ]);
      expect(maxRelError(bi, fx, 'float64')).toBeLessThan(1e-10);
      bi.dispose();
    }
  });

  it('refuses reset_after=False GRUs and wrong shapes with clear errors', () => {
    const H = 2;
    const w = (shape: number[]) => ({
      shape,
      data: new Float64Array(shape.reduce((a, b) => a * b, 1)),
    });
    expect(() =>
      kerasToPytorch('GRU', { kernel: w([3, 6]), recurrentKernel: w([2, 6]), bias: w([6]) }),
    ).toThrow(/reset_after=False.*no PyTorch equivalent/);
    expect(() =>
      kerasToPytorch('LSTM', { kernel: w([3, 4 * H]), recurrentKernel: w([H, 3 * H]) }),
    ).toThrow(/recurrent_kernel must have shape \[2, 8\]/);
    const lstm = { kernel: w([3, 4 * H]), recurrentKernel: w([H, 4 * H]) };
    expect(Object.keys(kerasToPytorch('LSTM', lstm, { layer: 2, reverse: true }))[0]).toBe(
      'weight_ih_l2_reverse',
    );
    expect(() => kerasToPytorch('LSTM', lstm, { layer: -1 })).toThrow(
      /kerasToPytorch: option 'layer' must be an integer >= 0, got -1/,
    );
    const gru = new GRU({ inputSize: 3, hiddenSize: H, seed: 0 });
    expect(() =>
      loadKerasWeights(gru, [{ kernel: w([4, 6]), recurrentKernel: w([2, 6]), bias: w([2, 6]) }]),
    ).toThrow(/'weight_ih_l0' must have shape \[6, 3\]/);
    gru.dispose();
  });
});
