/**
 * ONNX export of LSTM models: a `Sequential` (or a list) of {@link LSTM}, {@link Dense} and
 * {@link Dropout} layers becomes the bytes of an `.onnx` file that ONNX Runtime and other
 * ONNX engines run with the same weights.
 */
import { ValueError } from '@rnnkit/core';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { LSTM } from '../layers/lstm.js';
import { Sequential } from '../models/sequential.js';
import {
  encodeOnnxModel,
  ONNX_FLOAT,
  ONNX_INT64,
  type OnnxAttribute,
  type OnnxDim,
  type OnnxInitializer,
  type OnnxNode,
} from './onnx_proto.js';

/** The ONNX operator set the exporter targets (ONNX Runtime ≥ 1.12 runs it). */
export const ONNX_OPSET = 17;

/** Options of {@link exportOnnx}. */
export interface OnnxExportOptions {
  /** Name of the graph input (default `'input'`). */
  inputName?: string;
  /** Name of the graph output (default `'output'`). */
  outputName?: string;
  /** Name of the graph (default the model's name, else `'rnnkit'`). */
  graphName?: string;
}

/** What {@link exportOnnx} accepts: a model, one layer, or layers applied in order. */
export type OnnxExportable =
  | Sequential
  | LSTM<boolean>
  | Dense
  | readonly (Sequential | LSTM<boolean> | Dense | Dropout)[];

/** PyTorch's LSTM gate blocks (i, f, g, o) in ONNX's order (i, o, f, c). */
const ONNX_LSTM_GATES = [0, 3, 1, 2] as const;

/** Collects nodes and initialisers under unique names. */
class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  private count = 0;

  fresh(base: string): string {
    return `${base}_${this.count++}`;
  }

  floats(base: string, dims: number[], data: Float32Array): string {
    const name = this.fresh(base);
    const raw = new Uint8Array(data.length * 4);
    const view = new DataView(raw.buffer);
    data.forEach((v, i) => view.setFloat32(i * 4, v, true));
    this.initializers.push({ name, dims, dataType: ONNX_FLOAT, raw });
    return name;
  }

  int64s(base: string, dims: number[], data: readonly number[]): string {
    const name = this.fresh(base);
    const raw = new Uint8Array(data.length * 8);
    const view = new DataView(raw.buffer);
    data.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    this.initializers.push({ name, dims, dataType: ONNX_INT64, raw });
    return name;
  }

  node(
    opType: string,
    inputs: string[],
    attributes?: Record<string, OnnxAttribute>,
    outputs = 1,
  ): string[] {
    const outs = Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase()));
    this.nodes.push({
      opType,
      inputs,
      outputs: outs,
      name: this.fresh(`${opType}_node`),
      attributes,
    });
    return outs;
  }

  one(opType: string, inputs: string[], attributes?: Record<string, OnnxAttribute>): string {
    return this.node(opType, inputs, attributes)[0];
  }
}

/** The running value between layers: its name, dims and whether it is time-major `[T, B, F]`. */
interface Value {
  name: string;
  dims: OnnxDim[];
  timeMajor: boolean;
}

type ExportLayer = LSTM<boolean> | Dense | Dropout;

function flatten(model: OnnxExportable): ExportLayer[] {
  const items: unknown[] = Array.isArray(model) ? [...model] : [model];
  const out: ExportLayer[] = [];
  items.forEach((item, i) => {
    if (item instanceof Sequential) out.push(...flatten(item.layers as never));
    else if (item instanceof LSTM || item instanceof Dense || item instanceof Dropout)
      out.push(item);
    else {
      const what =
        item !== null && typeof item === 'object'
          ? `${(item as { name?: string }).name ?? '?'} (${item.constructor.name})`
          : String(item);
      throw new ValueError(
        `exportOnnx: layer ${i} ${what} cannot be exported; supported layers are LSTM, Dense, Dropout (and Sequential of them)`,
      );
    }
  });
  if (out.length === 0) throw new ValueError('exportOnnx: the model has no layers');
  return out;
}

/** `[G·H, C]` PyTorch weight, gate blocks reordered for ONNX, as float32. */
function reorderRows(
  data: ArrayLike<number>,
  H: number,
  cols: number,
  out: Float32Array,
  at: number,
): void {
  ONNX_LSTM_GATES.forEach((src, k) => {
    for (let j = 0; j < H * cols; j++) out[at + k * H * cols + j] = data[src * H * cols + j];
  });
}

function checkLstm(layer: LSTM<boolean>): void {
  const why = layer.goBackwards ? "'goBackwards'" : layer.stateful ? "'stateful'" : undefined;
  if (why)
    throw new ValueError(
      `exportOnnx: LSTM '${layer.name}' uses ${why}, which the ONNX export does not support; export a layer without it`,
    );
}

function toTimeMajor(g: GraphBuilder, v: Value): Value {
  if (v.timeMajor) return v;
  if (v.dims.length !== 3)
    throw new ValueError(
      `exportOnnx: an LSTM needs a [batch, sequence, features] input, got rank ${v.dims.length}`,
    );
  const [b, t, f] = v.dims;
  return {
    name: g.one('Transpose', [v.name], { perm: [1, 0, 2] }),
    dims: [t, b, f],
    timeMajor: true,
  };
}

function toBatchMajor(g: GraphBuilder, v: Value): Value {
  if (!v.timeMajor) return v;
  const [t, b, f] = v.dims;
  return {
    name: g.one('Transpose', [v.name], { perm: [1, 0, 2] }),
    dims: [b, t, f],
    timeMajor: false,
  };
}

function exportLstm(g: GraphBuilder, layer: LSTM<boolean>, input: Value): Value {
  checkLstm(layer);
  const { hiddenSize: H, numDirections: D, inputSize: I } = layer;
  const features = input.dims[input.dims.length - 1];
  if (features !== I)
    throw new ValueError(
      `exportOnnx: LSTM '${layer.name}' expects ${I} input features, the layer before gives ${String(features)}`,
    );
  const sd = layer.stateDict();
  let x = toTimeMajor(g, input);
  for (let l = 0; l < layer.numLayers; l++) {
    const inSize = l === 0 ? I : D * H;
    const W = new Float32Array(D * 4 * H * inSize);
    const R = new Float32Array(D * 4 * H * H);
    const B = new Float32Array(D * 8 * H);
    for (let d = 0; d < D; d++) {
      const s = `_l${l}${d === 1 ? '_reverse' : ''}`;
      reorderRows(sd[`weight_ih${s}`].data, H, inSize, W, d * 4 * H * inSize);
      reorderRows(sd[`weight_hh${s}`].data, H, H, R, d * 4 * H * H);
      if (layer.bias) {
        reorderRows(sd[`bias_ih${s}`].data, H, 1, B, d * 8 * H);
        reorderRows(sd[`bias_hh${s}`].data, H, 1, B, d * 8 * H + 4 * H);
      }
    }
    const inputs = [x.name, g.floats('W', [D, 4 * H, inSize], W), g.floats('R', [D, 4 * H, H], R)];
    if (layer.bias) inputs.push(g.floats('B', [D, 8 * H], B));
    const [y, yH] = g.node(
      'LSTM',
      inputs,
      { hidden_size: H, direction: D === 2 ? 'bidirectional' : 'forward' },
      2,
    );
    const [t, b] = x.dims;
    if (l === layer.numLayers - 1 && !layer.returnSequences) {
      // Final hidden states Y_h [D, B, H] → [B, D·H], as `apply` with returnSequences: false
      // (the reverse direction's is its state after reading step 0).
      const bdh = g.one('Transpose', [yH], { perm: [1, 0, 2] });
      const name = g.one('Reshape', [bdh, g.int64s('shape', [2], [0, -1])]);
      return { name, dims: [b, D * H], timeMajor: false };
    }
    // Y [T, D, B, H] → [T, B, D·H] (forward features first, as PyTorch's output).
    const tbdh = g.one('Transpose', [y], { perm: [0, 2, 1, 3] });
    x = {
      name: g.one('Reshape', [tbdh, g.int64s('shape', [3], [0, 0, -1])]),
      dims: [t, b, D * H],
      timeMajor: true,
    };
  }
  return x;
}

function exportDense(g: GraphBuilder, layer: Dense, input: Value): Value {
  const features = input.dims[input.dims.length - 1];
  if (features !== layer.inputSize)
    throw new ValueError(
      `exportOnnx: Dense '${layer.name}' expects ${layer.inputSize} input features, the layer before gives ${String(features)}`,
    );
  const sd = layer.stateDict();
  const { inputSize: F, units: U } = layer;
  const kernel = new Float32Array(F * U);
  const w = sd.weight.data;
  for (let u = 0; u < U; u++) for (let f = 0; f < F; f++) kernel[f * U + u] = w[u * F + f];
  let y = g.one('MatMul', [input.name, g.floats('kernel', [F, U], kernel)]);
  if (layer.useBias) y = g.one('Add', [y, g.floats('bias', [U], Float32Array.from(sd.bias.data))]);
  const op = { tanh: 'Tanh', relu: 'Relu', sigmoid: 'Sigmoid', softmax: 'Softmax', linear: '' }[
    layer.activation
  ];
  if (op) y = g.one(op, [y], op === 'Softmax' ? { axis: -1 } : undefined);
  return { name: y, dims: [...input.dims.slice(0, -1), U], timeMajor: input.timeMajor };
}

/**
 * Exports an LSTM model to ONNX (opset {@link ONNX_OPSET}, float32): a {@link Sequential}, a
 * single layer, or a list of layers applied in order, made of {@link LSTM} (any `numLayers`,
 * `bidirectional`, `returnSequences`, with or without bias), {@link Dense} (every activation)
 * and {@link Dropout} (the identity at inference). The graph takes one float32 input
 * `[batch, sequence, features]` (`[batch, features]` when the model starts with a Dense and
 * has no LSTM), with symbolic `batch` and `sequence` sizes, and computes what `predict` does
 * with every step valid: sequence lengths and masks are not part of the export, and every
 * sequence starts from zero states. Weights are copied (float64 parameters rounded to float32).
 *
 * Each LSTM layer becomes one ONNX `LSTM` node per stacked layer, with PyTorch's gate blocks
 * (i, f, g, o) reordered to ONNX's (i, o, f, c) and both biases kept (`B = [b_ih, b_hh]`).
 * @returns the bytes of an `.onnx` file (e.g. for `onnxruntime`'s `InferenceSession.create`).
 * @throws ValueError naming the layer when a layer or option cannot be exported.
 * @example
 * ```ts
 * const model = new Sequential([
 *   new LSTM({ inputSize: 8, hiddenSize: 16, returnSequences: false, seed: 0 }),
 *   new Dense({ inputSize: 16, units: 3, activation: 'softmax', seed: 0 }),
 * ]);
 * const bytes = exportOnnx(model); // write it to model.onnx, or hand it to onnxruntime
 * check(bytes instanceof Uint8Array && bytes.length > 4 * (4 * 16 * (8 + 16) + 16 * 3), true);
 * ```
 */
export function exportOnnx(model: OnnxExportable, options: OnnxExportOptions = {}): Uint8Array {
  const layers = flatten(model);
  const inputName = options.inputName ?? 'input';
  const outputName = options.outputName ?? 'output';
  if (inputName === outputName)
    throw new ValueError(
      `exportOnnx: options 'inputName' and 'outputName' must differ, both are '${inputName}'`,
    );
  const first = layers.find((l) => !(l instanceof Dropout));
  if (!first) throw new ValueError('exportOnnx: the model has only Dropout layers');
  const hasLstm = layers.some((l) => l instanceof LSTM);
  const inputDims: OnnxDim[] =
    first instanceof LSTM
      ? ['batch', 'sequence', first.inputSize]
      : hasLstm
        ? ['batch', 'sequence', (first as Dense).inputSize]
        : ['batch', (first as Dense).inputSize];
  const g = new GraphBuilder();
  let v: Value = { name: inputName, dims: inputDims, timeMajor: false };
  for (const layer of layers) {
    if (layer instanceof LSTM) v = exportLstm(g, layer, v);
    else if (layer instanceof Dense) v = exportDense(g, layer, v);
  }
  v = toBatchMajor(g, v);
  g.nodes.push({
    opType: 'Identity',
    inputs: [v.name],
    outputs: [outputName],
    name: 'output_node',
  });
  const graphName =
    options.graphName ?? (model instanceof Sequential ? model.name : undefined) ?? 'rnnkit';
  return encodeOnnxModel({
    irVersion: 8,
    opset: ONNX_OPSET,
    producerName: '@rnnkit/nn',
    graphName,
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [{ name: inputName, dims: inputDims }],
    outputs: [{ name: outputName, dims: v.dims }],
  });
}
