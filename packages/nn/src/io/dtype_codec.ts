/**
 * Little-endian encoding and decoding of weight values by storage dtype.
 */
import { FormatError } from '@rnnkit/core';

/** Element types the weight files use. */
export type StorageDType = 'float32' | 'float64' | 'int32';

/** Bytes per element. */
export const BYTES_PER_ELEMENT: Record<StorageDType, number> = { float32: 4, float64: 8, int32: 4 };

/** Little-endian bytes of a typed array (a copy, independent of the platform's endianness). */
export function encodeLE(dtype: StorageDType, values: ArrayLike<number>): Uint8Array {
  const n = values.length;
  const out = new Uint8Array(n * BYTES_PER_ELEMENT[dtype]);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    if (dtype === 'float32') view.setFloat32(i * 4, values[i], true);
    else if (dtype === 'float64') view.setFloat64(i * 8, values[i], true);
    else view.setInt32(i * 4, values[i], true);
  }
  return out;
}

/** Decodes `count` little-endian elements at `offset` of `bytes`. */
export function decodeLE(
  dtype: StorageDType,
  bytes: Uint8Array,
  offset: number,
  count: number,
): Float32Array | Float64Array | Int32Array {
  const size = BYTES_PER_ELEMENT[dtype];
  if (offset < 0 || offset + count * size > bytes.length) {
    throw new FormatError(
      `weights data is truncated: need ${count * size} bytes at offset ${offset}, have ${bytes.length - offset}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * size);
  if (dtype === 'float32') {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
    return out;
  }
  if (dtype === 'float64') {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
    return out;
  }
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}
