/**
 * The backend interface: what a backend stores, the kernel function and table types, memory info
 * and the factory type.
 */
import type { KernelAttrs, KernelInputs, KernelName, KernelOutputs } from './kernel_names.js';
import type { DataId, DType, Shape, TypedArray } from './types.js';

/** What a backend reports about the memory it holds. */
export interface MemoryInfo {
  /** Live storage blocks. */
  numDataIds: number;
  /** Bytes held by live storage blocks. */
  numBytes: number;
  /** Anything else a backend wants to report (pool sizes, wasm memory pages, …). */
  [detail: string]: unknown;
}

/**
 * A kernel implementation: pure with respect to its inputs, returning new storage for each
 * output. `backend` is the instance that owns every input.
 */
export type KernelFunc<K extends KernelName, B extends Backend = Backend> = (
  inputs: KernelInputs<K>,
  attrs: KernelAttrs<K>,
  backend: B,
) => KernelOutputs<K>;

/** One kernel implementation bound to a kernel name and a backend name. */
export interface KernelConfig<K extends KernelName = KernelName, B extends Backend = Backend> {
  /** The kernel it implements. */
  kernelName: K;
  /** The backend it belongs to. */
  backendName: string;
  /** The implementation. */
  kernelFunc: KernelFunc<K, B>;
}

/**
 * A complete kernel table: one implementation per kernel in the catalogue. Declaring a
 * backend's table with this type makes the compiler list any kernel it lacks.
 */
export type KernelTable<B extends Backend = Backend> = { [K in KernelName]: KernelFunc<K, B> };

/**
 * The interface every compute backend implements: storage management plus the kernels of
 * {@link KernelSignatures}. Core calls these; users normally never do.
 */
export interface Backend {
  /** The name it is registered under (`'cpu'`, `'wasm'`, `'gpujs'`, …). */
  readonly name: string;
  /** The dtypes whose storage and kernels it supports. */
  readonly dtypes: readonly DType[];
  /** Every kernel of the catalogue. */
  readonly kernels: KernelTable<never>;
  /**
   * Stores a copy of `values` (whose length equals the product of `shape`) and returns a handle
   * to it. `values` may be reused by the caller after the call.
   */
  write(values: TypedArray, shape: Shape, dtype: DType): DataId;
  /**
   * Optional: stores `shape`'s worth of `value` (converted to `dtype` as typed-array `fill`
   * does) without building the values in JavaScript. Zeros for unused gradients and the
   * seed of backpropagation come through here every training step; a backend without it
   * receives a filled array through {@link Backend.write}.
   */
  fill?(shape: Shape, dtype: DType, value: number): DataId;
  /** Reads storage back into a new JavaScript typed array of its dtype. */
  read(dataId: DataId): Promise<TypedArray>;
  /** Synchronous {@link Backend.read}; a backend that cannot read synchronously may throw. */
  readSync(dataId: DataId): TypedArray;
  /** Frees storage. Called exactly once per handle, when its last tensor is disposed. */
  disposeData(dataId: DataId): void;
  /** Storage currently held. */
  memory(): MemoryInfo;
  /** Describes the device or mode it really runs on (for logs and benchmark tables). */
  describe?(): string;
  /** Frees every resource; called when the backend is removed from the registry. */
  dispose?(): void;
}

/** Builds a backend; async factories may load WebAssembly, compile shaders, etc. */
export type BackendFactory = () => Backend | Promise<Backend>;
