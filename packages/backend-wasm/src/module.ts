/**
 * Loading and instantiating the AssemblyScript module (`assembly/`, compiled to
 * `build/rnnkit.wasm` by `asc --config asconfig.json --target release`).
 *
 * The binary is found next to the package's `src/` and `dist/` folders through
 * `new URL('../build/rnnkit.wasm', import.meta.url)`, which resolves to the same file from both,
 * and which bundlers recognise as an asset reference. Node reads it with `fs`; browsers fetch it.
 */

/** The functions exported by the WebAssembly module; pointers and sizes are plain numbers. */
export interface RnnkitExports {
  /**
   * Allocates `bytes` bytes, 16-byte aligned (the module's allocator, assembly/allocator.ts);
   * returns 0 when memory is exhausted. The address is an i32: read it with `>>> 0`.
   */
  alloc(bytes: number): number;
  /** Bytes in free blocks (linear memory may still grow by more). */
  memoryFree(): number;
  /** Payload bytes of the largest free block, or (`atEnd` 1) of the free block growth extends. */
  memoryLargestFree(atEnd: number): number;
  /** Frees a block from {@link RnnkitExports.alloc}. */
  free(ptr: number): void;
  /** Linear memory size in 64 KiB pages. */
  memoryPages(): number;
  /** Zero-fills bytes. */
  zero(ptr: number, bytes: number): void;
  /** Frees the module's internal scratch blocks. */
  releaseScratch(): void;
  /**
   * C[m, n] = op(A) op(B) (or += when `accumulate` is 1). Element (i, k) of op(A) is at
   * `a + 4 * (i * sam + k * sak)`, element (k, j) of op(B) at `b + 4 * (k * sbk + j * sbn)`; C has
   * row stride `ldc` elements.
   */
  gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    sam: number,
    sak: number,
    b: number,
    sbk: number,
    sbn: number,
    c: number,
    ldc: number,
    accumulate: number,
  ): void;
  /** y[i] = op(x[i]) for `n` float32 values; `op` indexes `UNARY_OPS`. */
  unaryF32(op: number, x: number, y: number, n: number): void;
  /** y[i] = ToInt32(op(x[i])) for `n` int32 values (computed in f64). */
  unaryI32(op: number, x: number, y: number, n: number): void;
  /**
   * Broadcasting binary function over `rank` axes; `params` holds the output shape and both
   * operands' strides (see `assembly/Binary.ts`); `op` indexes `BINARY_OPS`.
   */
  binary(
    op: number,
    isInt: number,
    rank: number,
    params: number,
    a: number,
    b: number,
    y: number,
  ): void;
  /** float32 to int32, truncating toward zero with JavaScript's ToInt32 wrapping. */
  castF32ToI32(x: number, y: number, n: number): void;
  /** int32 to float32, rounding to nearest. */
  castI32ToF32(x: number, y: number, n: number): void;
  /** Stores the 32-bit pattern `bits` into `n` consecutive words. */
  fill32(y: number, n: number, bits: number): void;
  /** n-d copy of 32-bit words with arbitrary (also negative) source and destination strides. */
  copyStrided(rank: number, params: number, src: number, dst: number): void;
  /** y[o, k, :] = x[o, indices[k], :] for x of [outer, extent, inner]. */
  gather(
    x: number,
    outer: number,
    extent: number,
    inner: number,
    indices: number,
    count: number,
    y: number,
  ): void;
  /** y = zeros, then y[o, indices[k], :] += u[o, k, :]. */
  scatterAdd(
    u: number,
    outer: number,
    extent: number,
    inner: number,
    indices: number,
    count: number,
    y: number,
    isInt: number,
  ): void;
  /** One row of `depth` words per index with `oneBits` at the index (zero row out of range). */
  oneHot(indices: number, count: number, depth: number, oneBits: number, y: number): void;
  /** y[o, i] = op over r of x[o, r, i] (op 0 sum, 1 max, 2 min), accumulated in f64. */
  reduceMiddle(
    op: number,
    isInt: number,
    x: number,
    outer: number,
    r: number,
    inner: number,
    y: number,
  ): void;
  /** Index of the largest value along the middle axis of [outer, extent, inner]. */
  argMax(isInt: number, x: number, outer: number, extent: number, inner: number, y: number): void;
  /** Softmax (or log-softmax when `log` is 1) of each row of [rows, n]. */
  softmax(x: number, rows: number, n: number, y: number, log: number): void;
  /** Floats in the reserve of a fused recurrent call (`mode`: 0 RNN_TANH, 1 RNN_RELU, 2 LSTM, 3 GRU). */
  rnnReserveFloats(mode: number, b: number, t: number, h: number): number;
  /** Floats of work memory `rnnBackward` needs. */
  rnnBackwardWorkFloats(mode: number, b: number, t: number, h: number): number;
  /**
   * Fused forward pass of one layer over a whole sequence, in one direction or (`directions` 2)
   * both (see `assembly/RnnForward.ts`).
   */
  rnnForward(
    mode: number,
    b: number,
    t: number,
    i: number,
    h: number,
    x: number,
    wIh: number,
    wHh: number,
    bIh: number,
    bHh: number,
    h0: number,
    c0: number,
    lengths: number,
    reverse: number,
    directions: number,
    y: number,
    hN: number,
    cN: number,
    reserve: number,
    training: number,
  ): void;
  /**
   * Checkpointed forward pass (assembly/rnn/checkpoint.ts): `rnnForward` with segment length
   * `s` whose reserve is the `[B, ⌈T/S⌉, SW]` segment boundaries. Returns 0, or the bytes of
   * work it could not allocate (nothing is then written).
   */
  rnnForwardCheckpointed(
    mode: number,
    b: number,
    t: number,
    i: number,
    h: number,
    s: number,
    x: number,
    wIh: number,
    wHh: number,
    bIh: number,
    bHh: number,
    h0: number,
    c0: number,
    lengths: number,
    reverse: number,
    y: number,
    hN: number,
    cN: number,
    bounds: number,
  ): number;
  /** Checkpointed backward pass matching `rnnForwardCheckpointed`; returns as it does. */
  rnnBackwardCheckpointed(
    mode: number,
    b: number,
    t: number,
    i: number,
    h: number,
    s: number,
    x: number,
    wIh: number,
    wHh: number,
    bIh: number,
    bHh: number,
    lengths: number,
    reverse: number,
    bounds: number,
    dy: number,
    dhN: number,
    dcN: number,
    dx: number,
    dWIh: number,
    dWHh: number,
    dBIh: number,
    dBHh: number,
    dh0: number,
    dc0: number,
  ): number;
  /** Fused backward pass matching `rnnForward` (see `assembly/RnnBackward.ts`). */
  rnnBackward(
    mode: number,
    b: number,
    t: number,
    i: number,
    h: number,
    x: number,
    wIh: number,
    wHh: number,
    lengths: number,
    reverse: number,
    directions: number,
    reserve: number,
    dy: number,
    dhN: number,
    dcN: number,
    dx: number,
    dWIh: number,
    dWHh: number,
    dBIh: number,
    dBHh: number,
    dh0: number,
    dc0: number,
    work: number,
  ): void;
  /**
   * One Adam/AdamW step over `n` float32 elements (`assembly/AdamUpdate.ts`): reads `p, g, m, v`,
   * writes `pOut, mOut, vOut`; the scalars are core's `adamCoefficients`.
   */
  adamUpdate(
    p: number,
    g: number,
    m: number,
    v: number,
    n: number,
    pOut: number,
    mOut: number,
    vOut: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    eps: number,
    sqrtBc2: number,
    stepSize: number,
    l2: number,
    decay: number,
  ): void;
  /** Enables `n` worker threads driven through the control block at `ctrl` (threads build). */
  setThreads(ctrl: number, n: number): void;
  /** Number of worker threads the module splits products across. */
  threadCount(): number;
  /** Worker number `index`'s loop (threads build); returns when the quit flag is set. */
  workerLoop(ctrl: number, index: number): void;
}

/** Where to get the WebAssembly binary from. */
export type WasmSource = URL | string | ArrayBuffer | ArrayBufferView | WebAssembly.Module;

/**
 * The default location of the binary shipped with the package: `rnnkit.wasm`, or with
 * `threads` the shared-memory build `rnnkit-mt.wasm`.
 */
export function defaultWasmUrl(threads = false): URL {
  return threads
    ? new URL('../build/rnnkit-mt.wasm', import.meta.url)
    : new URL('../build/rnnkit.wasm', import.meta.url);
}

/** Whether this is Node.js (whose worker threads the multi-threaded mode uses). */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/**
 * Imports the Node built-in `node:<name>`; only ever called in Node. The specifier is built at
 * run time so that browser bundlers (esbuild, Vite, webpack) leave the import alone instead of
 * failing to resolve a Node module: a browser build of this package needs no configuration.
 */
export async function nodeBuiltin<T>(name: string): Promise<T> {
  const specifier = `node:${name}`;
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as T;
}

async function readBytes(url: URL): Promise<ArrayBuffer | Uint8Array> {
  if (url.protocol === 'file:' && isNode()) {
    const fs = await nodeBuiltin<typeof import('node:fs/promises')>('fs/promises');
    const { fileURLToPath } = await nodeBuiltin<typeof import('node:url')>('url');
    const path = fileURLToPath(url);
    try {
      return await fs.readFile(path);
    } catch (error) {
      throw new Error(
        `@rnnkit/backend-wasm: cannot read ${path}; build the module with \`pnpm --filter @rnnkit/backend-wasm build\``,
        { cause: error },
      );
    }
  }
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`@rnnkit/backend-wasm: fetching ${url.href} failed: HTTP ${response.status}`);
  }
  return response.arrayBuffer();
}

/** The shipped binaries, compiled once per process (single-thread and threads build). */
const shippedModules = new Map<boolean, Promise<WebAssembly.Module>>();

/** Compiles the module from `source` (the shipped binary when absent, compiled only once). */
export async function compileWasm(
  source?: WasmSource,
  threads = false,
): Promise<WebAssembly.Module> {
  if (source === undefined) {
    let compiled = shippedModules.get(threads);
    if (!compiled) {
      compiled = readBytes(defaultWasmUrl(threads)).then((bytes) =>
        WebAssembly.compile(bytes as BufferSource),
      );
      shippedModules.set(threads, compiled);
      compiled.catch(() => shippedModules.delete(threads));
    }
    return compiled;
  }
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return WebAssembly.compile(source as BufferSource);
  }
  const url = new URL(String(source), import.meta.url);
  return WebAssembly.compile((await readBytes(url)) as BufferSource);
}

/** The AssemblyScript string at `ptr` (UTF-16, its byte length in the header word before it). */
function readAscString(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr < 4 || ptr >= memory.buffer.byteLength) return '';
  const bytes = new DataView(memory.buffer).getUint32(ptr - 4, true);
  if (ptr + bytes > memory.buffer.byteLength) return '';
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}

/** Instantiates `module` over `memory`. */
export async function instantiateWasm(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
): Promise<RnnkitExports> {
  const instance = await WebAssembly.instantiate(module, {
    env: {
      memory,
      abort(message: number, _file: number, line: number, column: number): never {
        const text = readAscString(memory, message);
        throw new Error(
          `@rnnkit/backend-wasm: the module aborted${text ? `: ${text}` : ''} (at ${line}:${column})`,
        );
      },
    },
  });
  return instance.exports as unknown as RnnkitExports;
}
