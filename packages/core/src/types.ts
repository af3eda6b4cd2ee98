/**
 * Element types a tensor can hold.
 *
 * `float32` is the default for every float tensor; `float64` exists for gradient checks
 * (only backends that list it in {@link Backend.dtypes} accept it); `int32` holds indices,
 * labels and sequence lengths.
 */
export type DType = 'float32' | 'float64' | 'int32';

/** Every dtype, in a fixed order. */
export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32'];

/** The typed array that stores values of each dtype in JavaScript memory. */
export interface DTypeArrayMap {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
}

/** A typed array of any supported dtype. */
export type TypedArray = Float32Array | Float64Array | Int32Array;

/** A tensor's shape: one non-negative integer per axis; `[]` is a scalar. */
export type Shape = readonly number[];

/**
 * The opaque handle a backend gives to a block of tensor storage. Core never looks inside it;
 * it only hands it back to the backend that made it.
 */
export type DataId = object;

/**
 * What a kernel sees of a tensor: its storage handle, shape and dtype. Kernels receive and
 * return these, never {@link Tensor} objects, so backends know nothing of autodiff or scopes.
 */
export interface TensorInfo {
  /** Storage handle, owned by the backend that produced it. */
  readonly dataId: DataId;
  /** The logical shape. Storage is dense and row-major (C order). */
  readonly shape: Shape;
  /** Element type. */
  readonly dtype: DType;
}

/** Allocates a zero-filled typed array of `dtype` with `size` elements. */
export function typedArrayFor<D extends DType>(dtype: D, size: number): DTypeArrayMap[D] {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size) as DTypeArrayMap[D];
    case 'float64':
      return new Float64Array(size) as DTypeArrayMap[D];
    case 'int32':
      return new Int32Array(size) as DTypeArrayMap[D];
    default:
      throw new TypeError(`unknown dtype ${String(dtype)}`);
  }
}

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a shape, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** True when two shapes are equal axis by axis. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
