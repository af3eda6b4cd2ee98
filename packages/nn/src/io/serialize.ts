/**
 * Saving and loading models: artifacts (config, weights) and the binary container they are stored
 * in.
 */
import {
  FormatError,
  formatShape,
  type Layer,
  ShapeError,
  tensor,
  type Variable,
} from '@rnnkit/core';
import { modelFromConfig } from '../models/from_config.js';
import type { AnyLayer } from '../models/registry.js';
import { crc32 } from './crc32.js';
import { BYTES_PER_ELEMENT, decodeLE, encodeLE, type StorageDType } from './dtype_codec.js';
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelManifest,
  validateManifest,
  type WeightEntry,
} from './manifest.js';

/** What can be saved: a model or a single layer (anything with `getConfig` and `namedParameters`). */
export type Saveable = Pick<Layer<unknown, unknown>, 'getConfig' | 'namedParameters'>;

/**
 * The single-file container: magic `RNNKIT\0\x01` (8 bytes), then little-endian u32 container
 * version, u32 manifest byte length, u32 CRC-32 of the manifest, u32 reserved (0); the UTF-8
 * JSON manifest, zero-padded to 8 bytes; then the weights blob.
 */
export const CONTAINER_MAGIC = new Uint8Array([0x52, 0x4e, 0x4e, 0x4b, 0x49, 0x54, 0x00, 0x01]);
/** Version of the binary container layout. */
export const CONTAINER_VERSION = 1;
const HEADER_BYTES = 24;

const hex = (n: number) => n.toString(16).padStart(8, '0');
const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** A model as a JSON manifest plus one binary weights blob (the two-file form). */
export interface ModelArtifacts {
  /** The manifest (write as `model.json`). */
  manifest: ModelManifest;
  /** The weights (write as `weights.bin`). */
  weights: ArrayBuffer;
}

/** Reads every parameter back once and lays them out as a manifest and a blob. */
export function toArtifacts(model: Saveable): ModelArtifacts {
  const params = [...model.namedParameters()];
  const entries: WeightEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, v] of params) {
    const dtype = v.dtype as StorageDType;
    const bytes = encodeLE(dtype, v.dataSync());
    entries.push({ name, dtype, shape: [...v.shape], offset, byteLength: bytes.length });
    chunks.push(bytes);
    offset = align8(offset + bytes.length);
  }
  const blob = new Uint8Array(offset);
  entries.forEach((e, i) => blob.set(chunks[i], e.offset));
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    architecture: model.getConfig(),
    dtype: (params[0]?.[1].dtype as StorageDType) ?? 'float32',
    weights: entries,
    weightsByteLength: blob.length,
    weightsCrc32: hex(crc32(blob)),
    producer: '@rnnkit/nn',
  };
  return { manifest, weights: blob.buffer };
}

/** Packs a manifest and a weights blob into the single-file container. */
export function encodeContainer(
  manifest: ModelManifest,
  weights: ArrayBuffer | Uint8Array,
): ArrayBuffer {
  const json = new TextEncoder().encode(JSON.stringify(manifest));
  const w = weights instanceof Uint8Array ? weights : new Uint8Array(weights);
  const jsonPadded = align8(json.length);
  const out = new Uint8Array(HEADER_BYTES + jsonPadded + w.length);
  out.set(CONTAINER_MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, CONTAINER_VERSION, true);
  view.setUint32(12, json.length, true);
  view.setUint32(16, crc32(json), true);
  view.setUint32(20, 0, true);
  out.set(json, HEADER_BYTES);
  out.set(w, HEADER_BYTES + jsonPadded);
  return out.buffer;
}

/**
 * Serialises a model (architecture, dtype, weights, checksums) to one `ArrayBuffer`. Pure: no
 * file system, works in browsers. Parameters are read back from the backend once.
 * @example
 * ```ts
 * const model = new Sequential([
 *   new LSTM({ inputSize: 3, hiddenSize: 4, returnSequences: false, seed: 0 }),
 *   new Dense({ inputSize: 4, units: 2, seed: 0 }),
 * ]);
 * const bytes = serialize(model); // an ArrayBuffer: write it to a file, IndexedDB, …
 * const twin = deserialize<Sequential>(bytes); // same class, same weights
 * const x = randomNormal([2, 5, 3]);
 * check(twin.apply(x), model.apply(x));
 * ```
 */
export function serialize(model: Saveable): ArrayBuffer {
  const { manifest, weights } = toArtifacts(model);
  return encodeContainer(manifest, weights);
}

/** Splits a container into its manifest and weights, checking magic, version, sizes and CRCs. */
export function decodeContainer(buffer: ArrayBuffer | Uint8Array): ModelArtifacts {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  if (bytes.length < HEADER_BYTES) {
    throw new FormatError(
      `not an rnnkit model: the file has ${bytes.length} bytes, fewer than the ${HEADER_BYTES}-byte header (truncated?)`,
    );
  }
  for (let i = 0; i < CONTAINER_MAGIC.length; i++) {
    if (bytes[i] !== CONTAINER_MAGIC[i])
      throw new FormatError('not an rnnkit model: wrong magic bytes (expected "RNNKIT\\0\\x01")');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CONTAINER_VERSION) {
    throw new FormatError(
      `unsupported rnnkit container version ${version}; this library reads version ${CONTAINER_VERSION}`,
    );
  }
  const jsonLength = view.getUint32(12, true);
  const weightsStart = HEADER_BYTES + align8(jsonLength);
  if (weightsStart > bytes.length) {
    throw new FormatError(
      `truncated rnnkit model: the manifest needs ${jsonLength} bytes but the file ends ${weightsStart - bytes.length} bytes early`,
    );
  }
  const jsonBytes = bytes.subarray(HEADER_BYTES, HEADER_BYTES + jsonLength);
  if (crc32(jsonBytes) !== view.getUint32(16, true))
    throw new FormatError('corrupt rnnkit model: the manifest checksum (CRC-32) does not match');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(jsonBytes));
  } catch (e) {
    throw new FormatError(
      `corrupt rnnkit model: the manifest is not valid UTF-8 JSON (${(e as Error).message})`,
    );
  }
  const manifest = validateManifest(parsed);
  const weights = bytes.subarray(weightsStart);
  if (weights.length < manifest.weightsByteLength) {
    throw new FormatError(
      `truncated rnnkit model: the weights need ${manifest.weightsByteLength} bytes, the file holds ${weights.length}`,
    );
  }
  if (weights.length > manifest.weightsByteLength) {
    throw new FormatError(
      `corrupt rnnkit model: ${weights.length - manifest.weightsByteLength} unexpected bytes after the weights`,
    );
  }
  // A copy: Node Buffers share a pooled ArrayBuffer, so `.buffer` of a view is not just these bytes.
  return { manifest, weights: Uint8Array.prototype.slice.call(weights).buffer };
}

/** Checks the weights blob against the manifest (size and CRC-32). */
export function checkWeights(
  manifest: ModelManifest,
  weights: ArrayBuffer | Uint8Array,
): Uint8Array {
  const w = weights instanceof Uint8Array ? weights : new Uint8Array(weights);
  if (w.length !== manifest.weightsByteLength) {
    throw new FormatError(
      `${w.length < manifest.weightsByteLength ? 'truncated' : 'corrupt'} weights: ${w.length} bytes, the manifest declares ${manifest.weightsByteLength}`,
    );
  }
  if (hex(crc32(w)) !== manifest.weightsCrc32)
    throw new FormatError('corrupt weights: the checksum (CRC-32) does not match the manifest');
  return w;
}

/**
 * Copies the weights of a validated manifest into `model`'s parameters after checking that
 * names, shapes and dtypes match the rebuilt architecture (nothing is assigned if any does
 * not). Values are written bit for bit.
 */
export function loadWeightsInto(
  model: Saveable,
  manifest: ModelManifest,
  weights: ArrayBuffer | Uint8Array,
): void {
  const w = checkWeights(manifest, weights);
  const params = model.namedParameters();
  const byName = new Map(manifest.weights.map((e) => [e.name, e]));
  const missing = [...params.keys()].filter((n) => !byName.has(n));
  const unexpected = manifest.weights.map((e) => e.name).filter((n) => !params.has(n));
  if (missing.length > 0 || unexpected.length > 0) {
    throw new FormatError(
      `weights do not match the architecture: ${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && unexpected.length ? '; ' : ''}${unexpected.length ? `unexpected ${unexpected.join(', ')}` : ''}`,
    );
  }
  const updates: [Variable, WeightEntry][] = [];
  for (const [name, v] of params) {
    const e = byName.get(name)!;
    if (e.shape.length !== v.shape.length || e.shape.some((d, i) => d !== v.shape[i])) {
      throw new FormatError(
        `weight '${name}' has shape ${formatShape(e.shape)} in the file but ${formatShape(v.shape)} in the architecture`,
      );
    }
    if (e.dtype !== v.dtype)
      throw new FormatError(
        `weight '${name}' is ${e.dtype} in the file but ${v.dtype} in the architecture`,
      );
    updates.push([v, e]);
  }
  for (const [v, e] of updates) {
    const values = decodeLE(e.dtype, w, e.offset, e.byteLength / BYTES_PER_ELEMENT[e.dtype]);
    const t = tensor(values, v.shape, v.dtype);
    v.assign(t);
    t.dispose();
  }
}

/** Rebuilds a model from a manifest (class registry) and fills in its weights. */
export function fromArtifacts<T extends AnyLayer = AnyLayer>(
  manifest: unknown,
  weights: ArrayBuffer | Uint8Array,
): T {
  const m = validateManifest(manifest);
  checkWeights(m, weights);
  let model: AnyLayer;
  try {
    model = modelFromConfig(m.architecture);
  } catch (e) {
    if (e instanceof ShapeError || e instanceof FormatError) throw e;
    throw new FormatError(
      `cannot rebuild the architecture '${m.architecture.className}': ${(e as Error).message}`,
    );
  }
  try {
    loadWeightsInto(model, m, weights);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model as T;
}

/**
 * Rebuilds a model saved with {@link serialize}: checks magic, versions, sizes, shapes and
 * checksums, and throws a `FormatError` saying what is wrong with a truncated, corrupt, foreign
 * or newer file.
 * @example
 * ```ts
 * const model = new Sequential([new Dense({ inputSize: 2, units: 1, seed: 0 })]);
 * const bytes = new Uint8Array(serialize(model)); // e.g. read back from a file
 * const copy = deserialize<Sequential>(bytes);
 * check(copy.stateDict(), model.stateDict());
 * bytes[bytes.length - 1] ^= 0xff; // one flipped weight byte
 * let error: unknown;
 * try {
 *   deserialize(bytes);
 * } catch (e) {
 *   error = e;
 * }
 * check(error instanceof FormatError, true); // the weights checksum no longer matches
 * ```
 */
export function deserialize<T extends AnyLayer = AnyLayer>(buffer: ArrayBuffer | Uint8Array): T {
  const { manifest, weights } = decodeContainer(buffer);
  return fromArtifacts<T>(manifest, weights);
}
