/**
 * A minimal protocol-buffers writer for the part of ONNX's `onnx.proto` the exporter emits
 * (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto), so that
 * `@rnnkit/nn` needs no protobuf dependency. Field numbers are those of `onnx.proto`.
 */

/** ONNX `TensorProto.DataType` values used here. */
export const ONNX_FLOAT = 1;
/** ONNX `TensorProto.DataType.INT64`. */
export const ONNX_INT64 = 7;

/** A tensor dimension: a size, or a symbolic name (`'batch'`). */
export type OnnxDim = number | string;

/** An attribute value: int, float, string, or a list of ints or strings. */
export type OnnxAttribute =
  | number
  | string
  | readonly number[]
  | readonly string[]
  | { float: number };

/** One graph node. */
export interface OnnxNode {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name: string;
  attributes?: Readonly<Record<string, OnnxAttribute>>;
}

/** A constant tensor of the graph (weights, shapes, indices). */
export interface OnnxInitializer {
  name: string;
  dims: readonly number[];
  dataType: typeof ONNX_FLOAT | typeof ONNX_INT64;
  /** Little-endian raw bytes of the values. */
  raw: Uint8Array;
}

/** A graph input or output: float32 with the given dims. */
export interface OnnxValueInfo {
  name: string;
  dims: readonly OnnxDim[];
}

/** The whole model. */
export interface OnnxModel {
  irVersion: number;
  opset: number;
  producerName: string;
  graphName: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxInitializer[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
}

const VARINT = 0;
const FIXED32 = 5;
const LENGTH_DELIMITED = 2;
const utf8 = new TextEncoder();

/** Appends protobuf fields to a list of byte chunks. */
class Writer {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  private varint(value: number | bigint): void {
    // int64 fields: negative values are their 64-bit two's complement (10 bytes).
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, value: number): this {
    if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf int field ${field}: ${value}`);
    this.tag(field, VARINT);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(value.length);
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  message(field: number, build: (w: Writer) => void): this {
    const inner = new Writer();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;
const ATTR_STRINGS = 8;

function writeAttribute(w: Writer, name: string, value: OnnxAttribute): void {
  w.string(1, name);
  if (typeof value === 'number') w.int(3, value).int(20, ATTR_INT);
  else if (typeof value === 'string') w.string(4, value).int(20, ATTR_STRING);
  else if ('float' in value) w.float(2, value.float).int(20, ATTR_FLOAT);
  else if (value.every((v) => typeof v === 'number')) {
    for (const v of value) w.int(8, v as number);
    w.int(20, ATTR_INTS);
  } else {
    for (const v of value) w.string(9, String(v));
    w.int(20, ATTR_STRINGS);
  }
}

function writeNode(w: Writer, node: OnnxNode): void {
  for (const i of node.inputs) w.string(1, i);
  for (const o of node.outputs) w.string(2, o);
  w.string(3, node.name).string(4, node.opType);
  for (const [k, v] of Object.entries(node.attributes ?? {}))
    w.message(5, (a) => writeAttribute(a, k, v));
}

function writeInitializer(w: Writer, t: OnnxInitializer): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType).string(8, t.name).bytes(9, t.raw);
}

function writeValueInfo(w: Writer, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, ONNX_FLOAT);
      tensor.message(2, (shape) => {
        for (const d of v.dims)
          shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

/** Serialises a model to the bytes of an `.onnx` file. */
export function encodeOnnxModel(m: OnnxModel): Uint8Array {
  return new Writer()
    .int(1, m.irVersion)
    .string(2, m.producerName)
    .message(7, (g) => {
      for (const n of m.nodes) g.message(1, (w) => writeNode(w, n));
      g.string(2, m.graphName);
      for (const t of m.initializers) g.message(5, (w) => writeInitializer(w, t));
      for (const i of m.inputs) g.message(11, (w) => writeValueInfo(w, i));
      for (const o of m.outputs) g.message(12, (w) => writeValueInfo(w, o));
    })
    .message(8, (op) => op.string(1, '').int(2, m.opset))
    .finish();
}
