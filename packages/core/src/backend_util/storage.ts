/**
 * The storage guard every backend calls, so that the same fault raises the same error class on
 * every backend (and the conformance suite can check it): values that do not fill their shape
 * or a dtype the backend lacks when writing, a handle that is foreign or already freed when
 * reading or freeing, and a recurrent reserve that no training-mode forward of the same shapes
 * produced.
 */
import { BackendError, DTypeError, formatShape, ShapeError, ValueError } from '../errors.js';
import type { DataId, DType, Shape } from '../types.js';
import { sizeOf } from '../types.js';

/** What the guard needs to know of a backend: its name and its dtypes. */
export interface GuardedBackend {
  /** The backend's registry name, which starts every message. */
  readonly name: string;
  /** The dtypes it stores. */
  readonly dtypes: readonly DType[];
}

/** What the guard needs to know of a storage record: whether `disposeData` freed it. */
export interface GuardedStorage {
  /** False once the storage was freed. */
  readonly live: boolean;
}

/**
 * Checks the arguments of `Backend.write` and returns the element count of `shape`.
 * @throws {@link DTypeError} when the backend does not store `dtype`; {@link ShapeError} when
 *   `values` does not hold exactly one value per element of `shape`.
 */
export function checkWrite(
  backend: GuardedBackend,
  values: { readonly length: number },
  shape: Shape,
  dtype: DType,
): number {
  if (!backend.dtypes.includes(dtype)) {
    throw new DTypeError(
      `${backend.name} backend: write(): dtype '${dtype}' is not supported (it supports ${backend.dtypes.join(', ')})`,
    );
  }
  const size = sizeOf(shape);
  if (values.length !== size) {
    throw new ShapeError(
      `${backend.name} backend: write(): ${values.length} values do not fill shape ${formatShape(shape)}, which needs ${size}`,
    );
  }
  return size;
}

/**
 * The live storage record behind `dataId`, which must be an instance of the backend's private
 * `storageClass`.
 * @throws {@link BackendError} when `dataId` was made by another backend (or is not a storage
 *   handle at all), or was already freed by `disposeData`.
 */
export function liveStorage<S extends GuardedStorage>(
  backend: Pick<GuardedBackend, 'name'>,
  dataId: DataId,
  storageClass: abstract new (...args: never[]) => S,
): S {
  if (!(dataId instanceof storageClass)) {
    throw new BackendError(
      `${backend.name} backend: this DataId was not created by a ${backend.name} backend (move tensors between backends with transfer())`,
    );
  }
  if (!dataId.live) {
    throw new BackendError(`${backend.name} backend: storage used after disposeData`);
  }
  return dataId;
}

/**
 * Checks the size of the `reserve` input of `RnnBackward` (in the backend's own `unit`: floats,
 * textures, …) against what a training-mode `RnnForward` of the same shapes produces.
 * @throws {@link ValueError} naming both sizes when they differ.
 */
export function checkReserve(
  backend: Pick<GuardedBackend, 'name'>,
  expected: number,
  actual: number,
  unit = 'values',
): void {
  if (actual !== expected) {
    throw new ValueError(
      `${backend.name} backend: RnnBackward: 'reserve' must come from an RnnForward with training: true and the same shapes (${expected} ${unit}), got ${actual} ${unit}`,
    );
  }
}
