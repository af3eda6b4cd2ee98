/**
 * The model manifest: format name and version, weight entries, and its validation.
 */
import { FormatError, type LayerConfig } from '@rnnkit/core';
import { BYTES_PER_ELEMENT, type StorageDType } from './dtype_codec.js';

/** The `format` value of every rnnkit model manifest. */
export const MODEL_FORMAT = 'rnnkit-model';
/** The manifest version this library writes; it reads versions up to this one. */
export const MODEL_FORMAT_VERSION = 1;

/** One tensor in the weights blob. */
export interface WeightEntry {
  /** Prefixed parameter name (`0.weight_ih_l0`). */
  name: string;
  /** Element type. */
  dtype: StorageDType;
  /** Shape. */
  shape: number[];
  /** Byte offset in the weights blob (8-byte aligned). */
  offset: number;
  /** Byte length (`size · bytesPerElement`). */
  byteLength: number;
}

/**
 * The JSON manifest of a saved model: format magic and version, the architecture
 * (`getConfig()` output, rebuilt through the class registry), the dtype, and the table of
 * weights with the blob's size and CRC-32.
 */
export interface ModelManifest {
  /** Always {@link MODEL_FORMAT}. */
  format: typeof MODEL_FORMAT;
  /** {@link MODEL_FORMAT_VERSION} when written by this version. */
  version: number;
  /** The model's `getConfig()`. */
  architecture: LayerConfig;
  /** The parameters' dtype (of the first parameter; each entry has its own too). */
  dtype: StorageDType;
  /** Weight table, in `namedParameters()` order. */
  weights: WeightEntry[];
  /** Total bytes of the weights blob. */
  weightsByteLength: number;
  /** CRC-32 of the weights blob, as 8 hex digits. */
  weightsCrc32: string;
  /** Writer, for diagnostics. */
  producer?: string;
}

function fail(msg: string): never {
  throw new FormatError(`invalid model manifest: ${msg}`);
}

/** Checks a parsed manifest's structure and version; throws {@link FormatError} naming the problem. */
export function validateManifest(m: unknown): ModelManifest {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) fail('not a JSON object');
  const o = m as Record<string, unknown>;
  if (o.format !== MODEL_FORMAT)
    fail(
      `'format' is ${JSON.stringify(o.format)}, expected '${MODEL_FORMAT}' (not an rnnkit model)`,
    );
  if (typeof o.version !== 'number' || !Number.isInteger(o.version) || o.version < 1)
    fail(`'version' is ${JSON.stringify(o.version)}`);
  if (o.version > MODEL_FORMAT_VERSION) {
    throw new FormatError(
      `unsupported model format version ${o.version}: this version of @rnnkit/nn reads versions up to ${MODEL_FORMAT_VERSION}; upgrade the library`,
    );
  }
  const arch = o.architecture as Record<string, unknown> | undefined;
  if (!arch || typeof arch.className !== 'string' || typeof arch.config !== 'object')
    fail("'architecture' must be {className, config}");
  if (!Array.isArray(o.weights)) fail("'weights' must be an array");
  if (
    typeof o.weightsByteLength !== 'number' ||
    !Number.isInteger(o.weightsByteLength) ||
    o.weightsByteLength < 0
  ) {
    fail("'weightsByteLength' must be a non-negative integer");
  }
  if (typeof o.weightsCrc32 !== 'string' || !/^[0-9a-f]{8}$/.test(o.weightsCrc32))
    fail("'weightsCrc32' must be 8 hex digits");
  const names = new Set<string>();
  for (const [i, w] of (o.weights as unknown[]).entries()) {
    const e = w as Record<string, unknown>;
    const where = `weights[${i}]`;
    if (!e || typeof e.name !== 'string') fail(`${where}.name must be a string`);
    if (names.has(e.name as string)) fail(`${where}: duplicate name '${e.name}'`);
    names.add(e.name as string);
    if (!(typeof e.dtype === 'string' && e.dtype in BYTES_PER_ELEMENT))
      fail(`${where} ('${e.name}'): unknown dtype ${JSON.stringify(e.dtype)}`);
    if (!Array.isArray(e.shape) || e.shape.some((d) => !Number.isInteger(d) || d < 0))
      fail(`${where} ('${e.name}'): bad shape ${JSON.stringify(e.shape)}`);
    const size = (e.shape as number[]).reduce((a, b) => a * b, 1);
    const bytes = size * BYTES_PER_ELEMENT[e.dtype as StorageDType];
    if (e.byteLength !== bytes)
      fail(
        `${where} ('${e.name}'): byteLength ${e.byteLength} does not match shape ${JSON.stringify(e.shape)} (${bytes} bytes)`,
      );
    if (
      !Number.isInteger(e.offset) ||
      (e.offset as number) < 0 ||
      (e.offset as number) + bytes > (o.weightsByteLength as number)
    ) {
      fail(
        `${where} ('${e.name}'): offset ${e.offset} + ${bytes} bytes lies outside the ${o.weightsByteLength}-byte weights blob`,
      );
    }
  }
  return m as ModelManifest;
}
