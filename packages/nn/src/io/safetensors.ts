/**
 * A safetensors reader and writer.
 */
import { FormatError, ValueError } from '@rnnkit/core';
import { bf16ToFloat, floatToBf16, floatToHalf, halfToFloat } from './half.js';

/** Safetensors element types this reader understands (`F16`/`BF16` are widened on reading). */
export type SafetensorsDType =
  | 'F64'
  | 'F32'
  | 'F16'
  | 'BF16'
  | 'I64'
  | 'I32'
  | 'I16'
  | 'I8'
  | 'U8'
  | 'BOOL';

const SIZES: Record<SafetensorsDType, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

/** One tensor read from a safetensors file. */
export interface SafetensorsTensor {
  /** The stored dtype. */
  dtype: SafetensorsDType;
  /** Shape. */
  shape: number[];
  /** Values: Float64Array for F64, Float32Array for F32/F16/BF16, Float64Array for integers. */
  data: Float32Array | Float64Array;
}

/** The safetensors header JSON may not exceed this (the reference implementation's limit). */
const MAX_HEADER = 100_000_000;

/**
 * Parses a safetensors buffer (what PyTorch's `safetensors.torch.save_file(model.state_dict())`
 * writes): an 8-byte little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {...}}`, then the raw
 * little-endian data. Checks sizes and bounds; a malformed file is a `FormatError`.
 * @example
 * ```ts
 * // Bytes of a file (e.g. `await (await fetch('lstm.safetensors')).arrayBuffer()`); here written in JS:
 * const source = new LSTM({ inputSize: 2, hiddenSize: 3, seed: 1 });
 * const entries = Object.entries(source.stateDict());
 * const bytes = writeSafetensors(
 *   Object.fromEntries(entries.map(([name, t]) => [name, { dtype: 'F32' as const, ...t }])),
 * );
 * const { tensors } = readSafetensors(bytes);
 * check(tensors.get('weight_ih_l0'), { dtype: 'F32', shape: [12, 2] });
 * const model = new LSTM({ inputSize: 2, hiddenSize: 3 });
 * model.loadStateDict(safetensorsToStateDict(tensors));
 * check(model.stateDict().weight_hh_l0.data, source.stateDict().weight_hh_l0.data);
 * ```
 */
export function readSafetensors(buffer: ArrayBuffer | Uint8Array): {
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
} {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  if (bytes.length < 8)
    throw new FormatError(
      `safetensors: file of ${bytes.length} bytes is shorter than the 8-byte header length`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > MAX_HEADER || 8 + n > bytes.length) {
    throw new FormatError(
      `safetensors: header length ${n} exceeds the file (${bytes.length} bytes): truncated or not a safetensors file`,
    );
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new FormatError(`safetensors: the header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    throw new FormatError('safetensors: the header is not a JSON object');
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, SafetensorsTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (raw ?? {}) as Record<string, string>;
      continue;
    }
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = e?.dtype as SafetensorsDType;
    if (!(dtype in SIZES))
      throw new FormatError(
        `safetensors: tensor '${name}' has unsupported dtype ${JSON.stringify(e?.dtype)}`,
      );
    if (!Array.isArray(e.shape) || e.shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new FormatError(
        `safetensors: tensor '${name}' has an invalid shape ${JSON.stringify(e.shape)}`,
      );
    }
    const offsets = e.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isInteger(o) && o >= 0) ||
      offsets[1] < offsets[0]
    ) {
      throw new FormatError(
        `safetensors: tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`,
      );
    }
    const shape = e.shape as number[];
    const count = shape.reduce((a, b) => a * b, 1);
    const [begin, end] = offsets as number[];
    if (end - begin !== count * SIZES[dtype]) {
      throw new FormatError(
        `safetensors: tensor '${name}' spans ${end - begin} bytes but ${dtype} ${JSON.stringify(shape)} needs ${count * SIZES[dtype]}`,
      );
    }
    if (end > dataLength)
      throw new FormatError(
        `safetensors: tensor '${name}' ends at byte ${end} of a ${dataLength}-byte data section (truncated file)`,
      );
    tensors.set(name, { dtype, shape, data: decode(dtype, view, dataStart + begin, count) });
  }
  return { tensors, metadata };
}

function decode(
  dtype: SafetensorsDType,
  view: DataView,
  at: number,
  count: number,
): Float32Array | Float64Array {
  switch (dtype) {
    case 'F64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(at + 8 * i, true);
      return out;
    }
    case 'F32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(at + 4 * i, true);
      return out;
    }
    case 'F16':
    case 'BF16': {
      const out = new Float32Array(count);
      const conv = dtype === 'F16' ? halfToFloat : bf16ToFloat;
      for (let i = 0; i < count; i++) out[i] = conv(view.getUint16(at + 2 * i, true));
      return out;
    }
    default: {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        out[i] =
          dtype === 'I64'
            ? Number(view.getBigInt64(at + 8 * i, true))
            : dtype === 'I32'
              ? view.getInt32(at + 4 * i, true)
              : dtype === 'I16'
                ? view.getInt16(at + 2 * i, true)
                : dtype === 'I8'
                  ? view.getInt8(at + i)
                  : view.getUint8(at + i);
      }
      return out;
    }
  }
}

/** A tensor to write with {@link writeSafetensors}. */
export interface SafetensorsInput {
  /** Target dtype (floating point only). */
  dtype: 'F64' | 'F32' | 'F16' | 'BF16';
  /** Shape. */
  shape: readonly number[];
  /** Values in row-major order. */
  data: ArrayLike<number>;
}

/**
 * Writes tensors in the safetensors format (header padded with spaces to 8 bytes, tensors in
 * the given order, little-endian), readable by Python's `safetensors.torch.load_file`.
 */
export function writeSafetensors(
  tensors: Record<string, SafetensorsInput>,
  metadata?: Record<string, string>,
): ArrayBuffer {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  const entries = Object.entries(tensors);
  for (const [name, t] of entries) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length)
      throw new ValueError(
        `writeSafetensors: '${name}' has ${t.data.length} values for shape ${JSON.stringify(t.shape)}`,
      );
    const size = count * SIZES[t.dtype];
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8 !== 0) json += ' ';
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const [, t] of entries) {
    for (let i = 0; i < t.data.length; i++) {
      const v = t.data[i];
      if (t.dtype === 'F64') view.setFloat64(at + 8 * i, v, true);
      else if (t.dtype === 'F32') view.setFloat32(at + 4 * i, v, true);
      else view.setUint16(at + 2 * i, t.dtype === 'F16' ? floatToHalf(v) : floatToBf16(v), true);
    }
    at += t.data.length * SIZES[t.dtype];
  }
  return out.buffer;
}
