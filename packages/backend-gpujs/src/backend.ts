/**
 * `GpujsBackend`: the gpu.js backend's storage (textures or arrays), kernel compilation cache and
 * factory; the kernels live one per file in `kernels/`.
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
import { BackendError, checkWrite, liveStorage, sizeOf } from '@rnnkit/core';
import type { GPU, IKernelRunShortcut, Texture } from 'gpu.js';
import { MAX_ELEMENTS } from './codegen.js';
import {
  createGpuContext,
  GL_KERNEL_TYPES,
  type GpuContext,
  type GpujsBackendOptions,
  type GpujsMode,
} from './context.js';
import { gpujsKernels } from './kernels/index.js';
import { GPUJS_BACKEND_NAME } from './name.js';

/**
 * What one tensor's storage holds on the device: a gpu.js texture (GL modes) or, under gpu.js's
 * CPU/WebAssembly fallback (only with `allowFallback`), the array its kernels return.
 */
export type GpuValue = Texture | Float32Array;

/** A kernel argument: device data or a scalar (passed as a float uniform). */
export type KernelArg = GpuValue | number;

/**
 * One block of device storage. Private to this module, so a `DataId` of another backend is
 * recognisably foreign. `value` is null for empty tensors; `parts` holds the textures of a
 * recurrent reserve (see {@link GpujsBackend.makeReserve}).
 */
class GpuStorage {
  live = true;
  constructor(
    readonly size: number,
    readonly dtype: DType,
    public value: GpuValue | null,
    public parts: GpuValue[] | null = null,
  ) {}
}

function isTexture(v: GpuValue): v is Texture {
  return !(v instanceof Float32Array);
}

function valueToArray(v: GpuValue, size: number): Float32Array {
  if (!isTexture(v)) return v.length === size ? v : v.subarray(0, size);
  const out = v.toArray() as unknown;
  if (out instanceof Float32Array) return out.length === size ? out : out.subarray(0, size);
  return Float32Array.from((out as ArrayLike<number>) ?? []).subarray(0, size);
}

/**
 * The gpu.js backend: every tensor lives on the GPU as a float texture and every kernel is a
 * gpu.js kernel compiled once per shape (and attribute combination) and cached.
 *
 * **Layout.** A tensor of any rank is stored flat, row-major, as a one-dimensional gpu.js output
 * of `size` elements: gpu.js lays it out in a near-square 2-D RGBA32F texture
 * (`[ceil(sqrt(n)), ceil(n / ceil(sqrt(n)))]`, one value per texel in the red channel) and
 * turns the flat index a kernel reads (`a[i]`) into texel coordinates. Kernels compute one output
 * element per thread, with `this.thread.x` the flat output index, and unravel it into
 * coordinates with the shapes baked into the shader. Tensors are limited to 2^24 elements
 * (exact float32 index arithmetic).
 *
 * **Dtypes.** `float32`, and `int32` stored in the same float textures as exact integers
 * (exact within ±2^24; kernels that produce int32 truncate toward zero like a typed-array
 * store, NaN and ±Infinity becoming 0).
 *
 * **Lifetime.** Kernels run in gpu.js's pipeline mode with immutable outputs, so every result
 * is a fresh texture that later kernels read directly; nothing returns to the CPU until
 * `read`/`readSync`. `disposeData` deletes the texture. Storage that only aliases another
 * (a copy, a reshape-like cast) shares the GL texture through gpu.js's reference-counted
 * `Texture.clone()`.
 */
export class GpujsBackend implements Backend {
  /** Registry name (`'gpujs'` unless {@link GpujsBackendOptions.name} says otherwise). */
  readonly name: string;
  /** Supported dtypes (int32 as exact integers in float textures). */
  readonly dtypes: readonly DType[] = ['float32', 'int32'];
  /** The kernel table, one implementation per catalogue entry. */
  readonly kernels: KernelTable<GpujsBackend> = gpujsKernels;
  /** What the kernels really run on: `headlessgl`, `webgl2`, `webgl`, or a gpu.js fallback. */
  readonly mode: GpujsMode;
  /** The gpu.js kernel class that runs the kernels (`HeadlessGLKernel`, `WebGL2Kernel`, …). */
  readonly kernelType: string;
  /** True when running on one of gpu.js's non-GPU fallbacks (only with `allowFallback`). */
  readonly isFallback: boolean;
  /** The gpu.js instance. */
  readonly gpu: GPU;

  private readonly context: GpuContext;
  private readonly cache = new Map<string, IKernelRunShortcut>();
  private dummyValue: GpuValue | undefined;
  private numDataIds = 0;
  private numBytes = 0;
  private numValues = 0;
  private disposed = false;

  /** Wraps a context made by {@link createGpuContext}; prefer {@link createGpujsBackend}. */
  constructor(context: GpuContext, name = GPUJS_BACKEND_NAME) {
    this.name = name;
    this.context = context;
    this.gpu = context.gpu;
    this.mode = context.mode;
    this.kernelType = context.kernelType;
    this.isFallback = context.isFallback;
  }

  // ------------------------------------------------------------------ storage

  /** Uploads a copy of `values` as a new texture. */
  write(values: TypedArray, shape: Shape, dtype: DType): DataId {
    const size = checkWrite(this, values, shape, dtype);
    if (size === 0) return this.adopt(new GpuStorage(0, dtype, null));
    return this.adopt(new GpuStorage(size, dtype, this.upload(values)));
  }

  /** Reads storage back (the only place data leaves the GPU). */
  async read(dataId: DataId): Promise<TypedArray> {
    return this.readSync(dataId);
  }

  /** Reads storage back synchronously (`gl.readPixels`). */
  readSync(dataId: DataId): TypedArray {
    const storage = this.storage(dataId);
    const out =
      storage.dtype === 'int32' ? new Int32Array(storage.size) : new Float32Array(storage.size);
    if (storage.value) out.set(valueToArray(storage.value, storage.size));
    else if (storage.parts) {
      let at = 0;
      for (const part of storage.parts) {
        const values = valueToArray(part, partSize(part));
        out.set(values, at);
        at += values.length;
      }
    }
    return out;
  }

  /** Deletes the storage's texture(s). */
  disposeData(dataId: DataId): void {
    const storage = this.storage(dataId);
    storage.live = false;
    this.numDataIds--;
    this.numBytes -= storage.size * 4;
    if (storage.value) this.free(storage.value);
    if (storage.parts) for (const part of storage.parts) this.free(part);
    storage.value = null;
    storage.parts = null;
  }

  /**
   * Live storage blocks and their logical bytes (4 per element). `textures` counts live device
   * values; gpu.js additionally keeps the last output texture of each cached kernel
   * (`cachedKernels`) until that kernel runs again. Each element occupies one RGBA32F texel,
   * i.e. 16 bytes of GPU memory.
   */
  memory(): MemoryInfo {
    return {
      numDataIds: this.numDataIds,
      numBytes: this.numBytes,
      textures: this.numValues,
      cachedKernels: this.cache.size,
      mode: this.mode,
    };
  }

  /** What the backend really runs on, for logs and benchmark tables. */
  describe(): string {
    const c = this.context;
    if (c.isFallback) {
      const reason = c.fallbackReason?.replace(/^gpujs backend: /, '').split(':')[0];
      return `gpujs: gpu.js ${c.kernelType} (${c.mode}) — gpu.js's fallback, NOT a GPU${reason ? ` (GL unavailable: ${reason})` : ''}`;
    }
    const where = c.renderer ? ` on ${c.renderer}` : '';
    const tex = c.maxTextureSize ? `, max texture ${c.maxTextureSize}` : '';
    return `gpujs: gpu.js ${c.kernelType} (${c.mode})${where}, RGBA32F textures${tex}`;
  }

  /** Destroys every cached kernel and the gpu.js instance (and with it all textures). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const kernel of this.cache.values()) {
      try {
        kernel.destroy();
      } catch {
        // The context goes with gpu.destroy() below anyway.
      }
    }
    this.cache.clear();
    try {
      void this.gpu.destroy();
    } catch {
      // Nothing more to free.
    }
  }

  // ------------------------------------------------------------------ kernel helpers

  /**
   * The device value of a kernel input. Empty tensors have none; they get a one-element
   * stand-in texture (the generated kernels never read it).
   */
  value(info: TensorInfo): GpuValue {
    const storage = this.storage(info.dataId);
    if (storage.value) return storage.value;
    if (storage.size === 0 && !storage.parts) return this.dummy();
    throw new BackendError('gpujs backend: this tensor holds a recurrent reserve, not a texture');
  }

  /** The textures of a reserve made by {@link GpujsBackend.makeReserve} (empty when none). */
  parts(info: TensorInfo): GpuValue[] {
    return this.storage(info.dataId).parts ?? [];
  }

  /** Wraps a value a kernel produced (ownership passes to the new storage). */
  make(value: GpuValue | null, shape: Shape, dtype: DType): TensorInfo {
    const size = sizeOf(shape);
    if (size === 0 && value) {
      this.free(value);
      value = null;
    }
    return { dataId: this.adopt(new GpuStorage(size, dtype, value)), shape: [...shape], dtype };
  }

  /** An empty tensor (no texture). */
  empty(shape: Shape, dtype: DType): TensorInfo {
    return this.make(null, shape, dtype);
  }

  /**
   * Wraps the per-step textures of a recurrent forward as its `reserve` output: a flat float32
   * tensor whose storage references the list of textures (each keeps its own shape; reading
   * the reserve concatenates them). Ownership of the textures passes to it; they are deleted
   * when it is disposed.
   */
  makeReserve(parts: GpuValue[]): TensorInfo {
    let size = 0;
    for (const part of parts) size += partSize(part);
    return {
      dataId: this.adopt(new GpuStorage(size, 'float32', null, parts)),
      shape: [size],
      dtype: 'float32',
    };
  }

  /** A second handle to the same immutable device data (reference-counted). */
  alias(value: GpuValue): GpuValue {
    this.numValues++;
    return isTexture(value) ? (value.clone() as Texture) : value;
  }

  /** Releases a value (deletes the texture when its last handle goes). */
  free(value: GpuValue): void {
    this.numValues--;
    if (isTexture(value)) value.delete();
  }

  /** A tensor of `shape` filled with `fillValue`, uploaded from the host (for kernels). */
  filledTensor(shape: Shape, dtype: DType, fillValue: number): TensorInfo {
    const size = sizeOf(shape);
    if (size === 0) return this.empty(shape, dtype);
    return this.make(this.upload(new Float32Array(size).fill(fillValue)), shape, dtype);
  }

  /** {@link Backend.fill}: the storage of a tensor of `shape` filled with `value`. */
  fill(shape: Shape, dtype: DType, value: number): DataId {
    return this.filledTensor(shape, dtype, value).dataId;
  }

  /**
   * Runs the kernel cached under `key` (compiling `source()` the first time) with `output`
   * elements and returns its output texture. Every kernel runs in pipeline mode with
   * immutable outputs and float32 precision. The first run of each kernel checks which gpu.js
   * kernel class ran it: unless the backend was created with `allowFallback`, a kernel that
   * gpu.js quietly moved to the CPU is an error.
   */
  run(key: string, output: number, source: () => string, args: readonly KernelArg[]): GpuValue {
    if (this.disposed) throw new BackendError('gpujs backend: used after dispose()');
    if (output > MAX_ELEMENTS) {
      throw new BackendError(
        `gpujs backend: ${output} elements exceed the ${MAX_ELEMENTS} this backend supports per tensor`,
      );
    }
    let kernel = this.cache.get(key);
    const first = kernel === undefined;
    if (!kernel) {
      const text = source();
      const params =
        /^function\s*\(([^)]*)\)/
          .exec(text)?.[1]
          .split(',')
          .map((p) => p.trim()) ?? [];
      const argumentTypes: Record<string, string> = {};
      params.forEach((p, i) => {
        const a = args[i];
        argumentTypes[p] =
          typeof a === 'number'
            ? 'Float'
            : a instanceof Float32Array
              ? 'Array'
              : (a as unknown as { type: string }).type;
      });
      kernel = this.gpu.createKernel(text, {
        output: [output],
        pipeline: true,
        immutable: true,
        precision: 'single',
        tactic: 'precision',
        argumentTypes,
      } as Parameters<GPU['createKernel']>[1]);
      this.cache.set(key, kernel);
    }
    let out: unknown;
    try {
      out = (kernel as unknown as (...a: KernelArg[]) => unknown)(...args);
    } catch (e) {
      if (first) this.cache.delete(key);
      throw new BackendError(
        `gpujs backend: kernel '${key}' failed: ${String((e as Error)?.message ?? e).split('\n')[0]}`,
      );
    }
    if (first) this.checkKernelType(key, kernel);
    this.numValues++;
    if (out instanceof Float32Array) return out;
    if (out && typeof (out as Texture).toArray === 'function') return out as Texture;
    return Float32Array.from(out as ArrayLike<number>);
  }

  private checkKernelType(key: string, kernel: IKernelRunShortcut): void {
    const ran = kernel.kernel.constructor.name;
    if (this.isFallback || ran === this.kernelType) return;
    if (!GL_KERNEL_TYPES.includes(ran)) {
      this.cache.delete(key);
      throw new BackendError(
        `gpujs backend: gpu.js fell back to ${ran} for kernel '${key}' (its GL shader did not compile); refusing to run a GPU kernel on the CPU silently`,
      );
    }
  }

  /** Uploads host values: a trivial pipeline kernel copying an input array into a texture. */
  upload(values: ArrayLike<number>): GpuValue {
    const n = values.length;
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    return this.run(`upload:${n}`, n, () => 'function(a) { return a[this.thread.x]; }', [data]);
  }

  private dummy(): GpuValue {
    if (!this.dummyValue) {
      this.dummyValue = this.upload(new Float32Array(1));
      this.numValues--; // internal, not a tensor's
    }
    return this.dummyValue;
  }

  private adopt(storage: GpuStorage): GpuStorage {
    this.numDataIds++;
    this.numBytes += storage.size * 4;
    return storage;
  }

  private storage(dataId: DataId): GpuStorage {
    return liveStorage(this, dataId, GpuStorage);
  }
}

function partSize(part: GpuValue): number {
  if (!isTexture(part)) return part.length;
  const output = (part as unknown as { output: number[] }).output;
  return output.reduce((a, b) => a * b, 1);
}

/**
 * Creates a gpu.js backend: checks that a GL context with float textures can be made (Node:
 * the native `gl` module under an X display; browser: WebGL2, else WebGL) and that gpu.js
 * really runs its kernels there. Fails with a {@link BackendError} naming the missing piece
 * unless `options.allowFallback` (or `RNNKIT_GPUJS_ALLOW_FALLBACK=1`) accepts gpu.js's own
 * CPU/WebAssembly fallback.
 * @example
 * ```ts
 * const backend = await createGpujsBackend();
 * console.log(backend.describe()); // gpujs: gpu.js HeadlessGLKernel (headlessgl) on …
 * ```
 */
export async function createGpujsBackend(options: GpujsBackendOptions = {}): Promise<GpujsBackend> {
  return new GpujsBackend(await createGpuContext(options), options.name);
}
