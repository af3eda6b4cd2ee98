/**
 * `WasmBackend`: the wasm backend's storage in linear memory, its worker threads and its factory;
 * the kernels live one per file in `kernels/`.
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
import { BackendError, checkWrite, liveStorage, OutOfMemoryError, sizeOf } from '@rnnkit/core';
import { wasmKernels } from './kernels/index.js';
import {
  compileWasm,
  instantiateWasm,
  isNode,
  nodeBuiltin,
  type RnnkitExports,
  type WasmSource,
} from './module.js';
import { WASM_BACKEND_NAME } from './name.js';
import { planThreads, startThreads, type ThreadPool } from './threads.js';

/** Bytes per element of every supported dtype (float32 and int32 are both 4 bytes wide). */
const ELEMENT_BYTES = 4;

/** Size of the parameter block kernels use to pass shapes and strides (4 arrays of 16 int32). */
const PARAM_BYTES = 256;
/**
 * Maximum size of the shared memory of the multi-threaded build (4 GiB, as in asconfig.json):
 * shared memory must declare one; it only reserves address space.
 */
const MAX_SHARED_PAGES = 65536;
/**
 * The most linear memory the module's allocator uses: 65535 pages (4 GiB less 64 KiB), so that
 * every address and size stays below 2^32 (see assembly/allocator.ts).
 */
export const MEMORY_CEILING_BYTES = 65535 * 65536;
/** Largest rank the parameter block holds after shape collapsing. */
export const MAX_PARAM_RANK = 16;

/**
 * One block of storage in WebAssembly memory. Private to this module so a `DataId` from another
 * backend is recognisably foreign.
 */
class WasmStorage {
  constructor(
    /** Byte address in linear memory (0 for an empty tensor, which owns no block). */
    public ptr: number,
    /** Number of elements. */
    public readonly size: number,
    /** Element type. */
    public readonly dtype: DType,
    public live = true,
  ) {}
}

/** Options of {@link createWasmBackend}. */
export interface WasmBackendOptions {
  /**
   * The WebAssembly binary: a URL (or string resolved against this module), its bytes, or an
   * already compiled module. Defaults to the `build/rnnkit.wasm` shipped with the package.
   */
  wasm?: WasmSource;
  /** Initial linear memory in 64 KiB pages (default 256, i.e. 16 MiB). */
  initialPages?: number;
  /** The name the instance reports (default `'wasm'`); must match the name it is registered under. */
  name?: string;
  /**
   * Worker threads that share linear memory with the calling thread: a count, or `'auto'` (the
   * default) for one per extra core, at most 4 threads in all. Each fused recurrent call splits
   * its batch across the threads (every thread runs its rows through all time steps, the weight
   * gradients are row-split products at the end) and large matrix products split by rows; small
   * calls stay on the calling thread (the rule is in `assembly/parallel.ts` and the README).
   * Results are bit-identical whatever the count. The environment variable
   * `RNNKIT_WASM_THREADS` (a count or `auto`) sets the default. Threads need Node.js
   * (worker_threads) and `SharedArrayBuffer`; elsewhere (e.g. a browser page that is not
   * cross-origin isolated), or when `wasm` is given (threads need the shared-memory build of the
   * module), the backend runs on one thread and {@link WasmBackend.describe} says why.
   */
  threads?: number | 'auto';
}

/** The thread count asked for: the option, else `RNNKIT_WASM_THREADS`, else `'auto'`. */
function requestedThreads(options: WasmBackendOptions): number | 'auto' {
  if (options.threads !== undefined) return options.threads;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env?.RNNKIT_WASM_THREADS;
  if (env === undefined || env.trim() === '' || env.trim() === 'auto') return 'auto';
  const count = Number(env);
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(
      `wasm backend: RNNKIT_WASM_THREADS must be 'auto' or a non-negative integer, got '${env}'`,
    );
  }
  return count;
}

/** Logical cores available to this process (1 where it cannot be known). */
async function availableCores(): Promise<number> {
  if (isNode()) {
    const os = await nodeBuiltin<typeof import('node:os')>('os');
    return typeof os.availableParallelism === 'function'
      ? os.availableParallelism()
      : os.cpus().length;
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/**
 * The WebAssembly backend: every tensor lives in the module's linear memory and every kernel is
 * AssemblyScript compiled with SIMD. Data crosses between JavaScript and WebAssembly only in
 * {@link WasmBackend.write} and {@link WasmBackend.read}; kernels receive addresses.
 *
 * Memory growth replaces the `ArrayBuffer` behind linear memory, so the backend never keeps a
 * typed-array view across a call that may allocate: {@link WasmBackend.f32} and friends re-create
 * their views whenever the buffer changed.
 */
export class WasmBackend implements Backend {
  /** Registry name (`'wasm'` unless {@link WasmBackendOptions.name} says otherwise). */
  readonly name: string;
  /** Supported dtypes (no float64). */
  readonly dtypes: readonly DType[] = ['float32', 'int32'];
  /** The kernel table, one implementation per catalogue entry. */
  readonly kernels: KernelTable<WasmBackend> = wasmKernels;

  /** The module's exports; kernels call these directly. */
  readonly wasm: RnnkitExports;
  /** The linear memory every tensor lives in. */
  readonly memoryObject: WebAssembly.Memory;
  /** Address of the kernels' shape/stride parameter block. */
  readonly params: number;

  private numDataIds = 0;
  private numBytes = 0;
  private disposed = false;
  private heapBuffer: ArrayBufferLike | null = null;
  private heapF32 = new Float32Array(0);
  private heapI32 = new Int32Array(0);
  private heapU8 = new Uint8Array(0);
  private pool: ThreadPool | undefined;
  /** Storage allocated by the kernel running under {@link WasmBackend.allocating}. */
  private pendingOutputs: WasmStorage[] | undefined;
  /** Why the backend runs on one thread although threads were asked for (undefined otherwise). */
  readonly singleThreadReason: string | undefined;

  /** Use {@link createWasmBackend} (or {@link WasmBackend.create}) rather than this. */
  constructor(
    wasm: RnnkitExports,
    memory: WebAssembly.Memory,
    name = WASM_BACKEND_NAME,
    pool?: ThreadPool,
    singleThreadReason?: string,
  ) {
    this.name = name;
    this.wasm = wasm;
    this.memoryObject = memory;
    this.pool = pool;
    this.singleThreadReason = pool ? undefined : singleThreadReason;
    this.params = this.allocBytes(PARAM_BYTES);
  }

  /** Compiles and instantiates the module (and starts its worker threads) as a backend. */
  static async create(options: WasmBackendOptions = {}): Promise<WasmBackend> {
    const initial = Math.max(16, options.initialPages ?? 256);
    const plan = planThreads(requestedThreads(options), {
      isNode: isNode(),
      hasSharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined',
      cores: await availableCores(),
      customModule: options.wasm !== undefined,
    });
    let reason = plan.reason;
    if (plan.workers > 0) {
      try {
        const module = await compileWasm(undefined, true);
        const memory = new WebAssembly.Memory({ initial, maximum: MAX_SHARED_PAGES, shared: true });
        const exports = await instantiateWasm(module, memory);
        const pool = await startThreads(exports, module, memory, plan.workers);
        return new WasmBackend(exports, memory, options.name, pool);
      } catch (error) {
        reason = `the worker threads failed to start (${error instanceof Error ? error.message : String(error)})`;
      }
    }
    const module = await compileWasm(options.wasm);
    const memory = new WebAssembly.Memory({ initial });
    const exports = await instantiateWasm(module, memory);
    return new WasmBackend(exports, memory, options.name, undefined, reason);
  }

  /** Threads that compute: the calling thread plus the workers. */
  get threads(): number {
    return 1 + (this.pool?.size ?? 0);
  }

  /** Parts of tasks (batch parts, row blocks) run by worker threads so far (0 without workers). */
  get workerParts(): number {
    return this.pool?.workerParts() ?? 0;
  }

  // ------------------------------------------------------------------ views

  private refresh(): void {
    const buffer = this.memoryObject.buffer;
    if (buffer !== this.heapBuffer || this.heapU8.byteLength !== buffer.byteLength) {
      this.heapBuffer = buffer;
      this.heapF32 = new Float32Array(buffer);
      this.heapI32 = new Int32Array(buffer);
      this.heapU8 = new Uint8Array(buffer);
    }
  }

  /** A float32 view of all of linear memory, valid until the next allocation. */
  get f32(): Float32Array {
    this.refresh();
    return this.heapF32;
  }

  /** An int32 view of all of linear memory, valid until the next allocation. */
  get i32(): Int32Array {
    this.refresh();
    return this.heapI32;
  }

  /** A byte view of all of linear memory, valid until the next allocation. */
  get u8(): Uint8Array {
    this.refresh();
    return this.heapU8;
  }

  // ---------------------------------------------------------------- storage

  /** Stores a copy of `values` in linear memory (converted to `dtype` as typed-array `set` does). */
  write(values: TypedArray, shape: Shape, dtype: DType): DataId {
    const size = checkWrite(this, values, shape, dtype);
    const storage = this.allocStorage(size, dtype);
    if (size > 0) {
      const offset = storage.ptr / ELEMENT_BYTES;
      (dtype === 'int32' ? this.i32 : this.f32).set(values, offset);
    }
    return storage;
  }

  /** Stores `shape`'s worth of `value`, filled in linear memory (no JavaScript array, no copy). */
  fill(shape: Shape, dtype: DType, value: number): DataId {
    const size = checkWrite(this, { length: sizeOf(shape) }, shape, dtype);
    const storage = this.allocStorage(size, dtype);
    this.fillStorage(storage.ptr, size, dtype, value);
    return storage;
  }

  /** Reads a copy of the stored values. */
  async read(dataId: DataId): Promise<TypedArray> {
    return this.readSync(dataId);
  }

  /** Reads a copy of the stored values synchronously. */
  readSync(dataId: DataId): TypedArray {
    const storage = this.storage(dataId);
    const start = storage.ptr / ELEMENT_BYTES;
    const view = storage.dtype === 'int32' ? this.i32 : this.f32;
    return view.slice(start, start + storage.size);
  }

  /** Frees the block behind `dataId`. */
  disposeData(dataId: DataId): void {
    const storage = this.storage(dataId);
    storage.live = false;
    this.numDataIds--;
    this.numBytes -= storage.size * ELEMENT_BYTES;
    if (storage.ptr !== 0 && !this.disposed) this.wasm.free(storage.ptr);
    storage.ptr = 0;
  }

  /** Live blocks, their bytes, and the size of linear memory. */
  memory(): MemoryInfo {
    return {
      numDataIds: this.numDataIds,
      numBytes: this.numBytes,
      wasmPages: this.disposed ? 0 : this.wasm.memoryPages(),
      wasmBytes: this.disposed ? 0 : this.memoryObject.buffer.byteLength,
      threads: this.threads,
    };
  }

  /** A one-line description for logs and benchmark tables. */
  describe(): string {
    const n = this.threads;
    const why = this.singleThreadReason ? ` (${this.singleThreadReason})` : '';
    return `wasm: AssemblyScript f32x4 SIMD kernels in WebAssembly memory, ${n} thread${n === 1 ? '' : 's'}${why}`;
  }

  /** Drops the module; every tensor of this backend becomes invalid. */
  dispose(): void {
    this.disposed = true;
    this.pool?.stop();
    this.pool = undefined;
  }

  // ------------------------------------------------------ kernel helpers

  /** Address of a kernel input's storage. */
  ptr(info: TensorInfo): number {
    return this.storage(info.dataId).ptr;
  }

  /** Allocates an output of `shape` and `dtype`; returns its description and address. */
  output(shape: Shape, dtype: DType): { info: TensorInfo; ptr: number } {
    const storage = this.allocStorage(sizeOf(shape), dtype);
    return { info: { dataId: storage, shape: [...shape], dtype }, ptr: storage.ptr };
  }

  /** Sets `size` elements of `dtype` at `ptr` to `value` (converted as typed-array `fill` does). */
  fillStorage(ptr: number, size: number, dtype: DType, value: number): void {
    if (size === 0) return;
    const bits =
      dtype === 'int32'
        ? new Int32Array([value])[0]
        : new Int32Array(new Float32Array([value]).buffer)[0];
    this.wasm.fill32(ptr, size, bits);
  }

  /**
   * Runs `fn` (a kernel body) and returns its result; when it throws (an out-of-memory error
   * half way through its allocations), the storage it allocated is freed first, so the backend
   * is left as before the call.
   */
  allocating<T>(fn: () => T): T {
    const outer = this.pendingOutputs;
    const mine: WasmStorage[] = [];
    this.pendingOutputs = mine;
    try {
      return fn();
    } catch (error) {
      for (const storage of mine) if (storage.live) this.disposeData(storage);
      throw error;
    } finally {
      this.pendingOutputs = outer;
    }
  }

  /** Allocates `bytes` of temporary memory; release it with {@link WasmBackend.freeTemp}. */
  allocTemp(bytes: number): number {
    return bytes > 0 ? this.allocBytes(bytes) : 0;
  }

  /**
   * Allocates `bytes` in linear memory and returns the address as an unsigned number (the module
   * returns an i32, negative above 2 GiB). Throws an {@link OutOfMemoryError} when the module's
   * allocator cannot serve it; nothing is allocated then and the backend stays usable.
   *
   * Before giving up it releases the module's scratch blocks (packing buffers, kept between
   * calls and regrown on demand) and tries again: one left in the middle of the free space by an
   * earlier call can be all that stands between a large request and a block that fits.
   */
  private allocBytes(bytes: number): number {
    if (bytes > MEMORY_CEILING_BYTES) throw this.outOfMemory(bytes);
    let ptr = this.wasm.alloc(bytes) >>> 0;
    if (ptr === 0) {
      this.wasm.releaseScratch();
      ptr = this.wasm.alloc(bytes) >>> 0;
    }
    if (ptr === 0) throw this.outOfMemory(bytes);
    return ptr;
  }

  /** The error for a failed allocation of `bytes`: what was asked, what is left, what to do. */
  outOfMemory(bytes: number): OutOfMemoryError {
    const grown = this.memoryObject.buffer.byteLength;
    const room = Math.max(0, MEMORY_CEILING_BYTES - grown);
    const available = this.wasm.memoryFree() + room;
    const largest = Math.max(this.wasm.memoryLargestFree(0), this.wasm.memoryLargestFree(1) + room);
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    return new OutOfMemoryError(
      `wasm backend: out of memory: asked for ${bytes} bytes (${mib(bytes)}), ${mib(available)} left (largest block ${mib(largest)}) of the ${mib(MEMORY_CEILING_BYTES)} ceiling of WebAssembly linear memory. ` +
        'Free tensors you no longer need, train on shorter windows (a stateful recurrent layer carries the state across them: truncated BPTT), ' +
        "set `checkpoint: true` on recurrent layers (memory ~√T instead of T), or use the 'cpu' backend, which is not bound by this ceiling.",
      bytes,
      available,
      MEMORY_CEILING_BYTES,
    );
  }

  /** Frees memory from {@link WasmBackend.allocTemp}. */
  freeTemp(ptr: number): void {
    if (ptr !== 0) this.wasm.free(ptr);
  }

  /**
   * Writes up to four int32 arrays of at most {@link MAX_PARAM_RANK} entries into the parameter
   * block (at 0, 64, 128 and 192 bytes) and returns its address.
   */
  writeParams(...arrays: readonly (readonly number[])[]): number {
    const heap = this.i32;
    const base = this.params / 4;
    arrays.forEach((values, slot) => {
      if (values.length > MAX_PARAM_RANK) {
        throw new RangeError(`wasm backend: rank ${values.length} exceeds ${MAX_PARAM_RANK}`);
      }
      for (let i = 0; i < values.length; i++) heap[base + slot * 16 + i] = values[i];
    });
    return this.params;
  }

  private allocStorage(size: number, dtype: DType): WasmStorage {
    if (this.disposed) throw new BackendError(`${this.name} backend: used after dispose()`);
    const ptr = size > 0 ? this.allocBytes(size * ELEMENT_BYTES) : 0;
    this.numDataIds++;
    this.numBytes += size * ELEMENT_BYTES;
    const storage = new WasmStorage(ptr, size, dtype);
    this.pendingOutputs?.push(storage);
    return storage;
  }

  private storage(dataId: DataId): WasmStorage {
    return liveStorage(this, dataId, WasmStorage);
  }
}

/**
 * Builds a {@link WasmBackend}: compiles the shipped WebAssembly module (or `options.wasm`) and
 * instantiates it over a fresh linear memory. This is the factory registered as `'wasm'`.
 * @example
 * ```ts
 * import { registerBackend, setBackend } from '@rnnkit/core';
 * import '@rnnkit/backend-wasm'; // registers 'wasm'
 * await setBackend('wasm');
 * ```
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  return WasmBackend.create(options);
}
