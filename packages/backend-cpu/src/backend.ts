/**
 * `CpuBackend`: the reference backend's storage (plain typed arrays) and its factory; the kernels
 * live one per file in `kernels/`.
 */
import type {
  Backend,
  DataId,
  DType,
  KernelTable,
  MemoryInfo,
  Shape,
  TensorInfo,
  TypedArray,
} from '@rnnkit/core';
import {
  checkWrite,
  DTypeError,
  liveStorage,
  ShapeError,
  sizeOf,
  typedArrayFor,
} from '@rnnkit/core';
import { cpuKernels } from './kernels/index.js';
import type { FloatArray } from './kernels/util/float.js';

/**
 * One block of CPU storage. The class is private to this module so that a `DataId` from another
 * backend (or a forged object) is recognisably foreign.
 */
class CpuStorage {
  constructor(
    public values: TypedArray,
    public live = true,
  ) {}
}

/** Options of {@link createCpuBackend}. */
export interface CpuBackendOptions {
  /** The name the instance reports (default `'cpu'`); must match the name it is registered under. */
  name?: string;
}

/**
 * The plain-TypeScript reference backend: every tensor lives in a JavaScript typed array and
 * every kernel is an ordinary loop on the main thread. It supports `float32`, `float64` (for
 * gradient checks) and `int32`.
 */
export class CpuBackend implements Backend {
  /** Registry name (`'cpu'` unless {@link CpuBackendOptions.name} says otherwise). */
  readonly name: string;
  /** Supported dtypes. */
  readonly dtypes: readonly DType[] = ['float32', 'float64', 'int32'];
  /** The kernel table, one implementation per catalogue entry. */
  readonly kernels: KernelTable<CpuBackend> = cpuKernels;

  private numDataIds = 0;
  private numBytes = 0;

  /** Prefer {@link createCpuBackend}; both make a backend with no storage yet. */
  constructor(options: CpuBackendOptions = {}) {
    this.name = options.name ?? 'cpu';
  }

  /** Stores a copy of `values`, converted to `dtype` if the caller passed another array type. */
  write(values: TypedArray, shape: Shape, dtype: DType): DataId {
    const size = checkWrite(this, values, shape, dtype);
    const copy = typedArrayFor(dtype, size);
    copy.set(values);
    return this.adopt(copy);
  }

  /** Reads a copy of the stored values. */
  async read(dataId: DataId): Promise<TypedArray> {
    return this.readSync(dataId);
  }

  /** Reads a copy of the stored values synchronously. */
  readSync(dataId: DataId): TypedArray {
    return this.storage(dataId).values.slice();
  }

  /** Frees the storage behind `dataId`. */
  disposeData(dataId: DataId): void {
    const storage = this.storage(dataId);
    storage.live = false;
    this.numDataIds--;
    this.numBytes -= storage.values.byteLength;
    // Dropping the array lets the garbage collector reclaim it even while handles survive.
    storage.values = new Float32Array(0);
  }

  /** Live storage blocks and the bytes they hold. */
  memory(): MemoryInfo {
    return { numDataIds: this.numDataIds, numBytes: this.numBytes };
  }

  /** A one-line description for logs and benchmark tables. */
  describe(): string {
    return 'cpu: plain TypeScript loops on the JavaScript main thread';
  }

  /**
   * The array behind a kernel input, without copying. Kernels must treat it as read-only:
   * other tensors may share the storage.
   */
  values(info: TensorInfo): TypedArray {
    return this.storage(info.dataId).values;
  }

  /** {@link CpuBackend.values} for an input the catalogue guarantees to be `float32`/`float64`. */
  floatValues(info: TensorInfo): FloatArray {
    const values = this.values(info);
    if (values instanceof Int32Array) {
      throw new DTypeError(`cpu backend: expected a float tensor, got ${info.dtype}`);
    }
    return values;
  }

  /** {@link CpuBackend.values} for an input the catalogue guarantees to be `int32`. */
  intValues(info: TensorInfo): Int32Array {
    const values = this.values(info);
    if (!(values instanceof Int32Array)) {
      throw new DTypeError(`cpu backend: expected an int32 tensor, got ${info.dtype}`);
    }
    return values;
  }

  /**
   * Takes ownership of a freshly computed array (no copy) and describes it as a kernel output.
   * The caller must not keep writing to `values` afterwards.
   */
  make(values: TypedArray, shape: Shape, dtype: DType): TensorInfo {
    if (values.length !== sizeOf(shape)) {
      throw new ShapeError(
        `cpu backend: ${values.length} values do not fill shape [${shape.join(', ')}]`,
      );
    }
    return { dataId: this.adopt(values), shape: [...shape], dtype };
  }

  private adopt(values: TypedArray): DataId {
    this.numDataIds++;
    this.numBytes += values.byteLength;
    return new CpuStorage(values);
  }

  private storage(dataId: DataId): CpuStorage {
    return liveStorage(this, dataId, CpuStorage);
  }
}

/**
 * Builds a {@link CpuBackend}. This is the factory registered as `'cpu'`. Unlike the other
 * backends' factories it needs nothing asynchronous and returns the backend itself (`await`
 * on it works all the same).
 * @example
 * ```ts
 * import { createCpuBackend } from '@rnnkit/backend-cpu';
 * const backend = createCpuBackend();
 * console.log(backend.describe()); // cpu: plain TypeScript loops on the JavaScript main thread
 * ```
 */
export function createCpuBackend(options: CpuBackendOptions = {}): CpuBackend {
  return new CpuBackend(options);
}
