/**
 * The gpu.js context: which mode it runs in (headless GL, WebGL, a CPU fallback), how it is
 * created and when a fallback is allowed.
 */
import { BackendError } from '@rnnkit/core';
import { GPU, type IKernelRunShortcut } from 'gpu.js';
import { HELPER_FUNCTIONS } from './codegen.js';

/**
 * What gpu.js really runs on: the GPU paths (`headlessgl` in Node through the native `gl`
 * module, `webgl2`/`webgl` in a browser) or one of gpu.js's own fallbacks (`cpu`, `wasm`,
 * `webgpu`), which are only accepted when the caller opted in with `allowFallback`.
 */
export type GpujsMode = 'headlessgl' | 'webgl2' | 'webgl' | 'cpu' | 'wasm' | 'webgpu' | 'unknown';

/** Options of {@link createGpujsBackend} and {@link registerGpujsBackend}. */
export interface GpujsBackendOptions {
  /**
   * Accept gpu.js's own fallback (its WebAssembly or plain-JavaScript kernels) when no GL
   * context with float textures can be made, instead of failing with a {@link BackendError}.
   * Defaults to `false`, or `true` when the environment variable
   * `RNNKIT_GPUJS_ALLOW_FALLBACK` is `1`/`true`. The backend's `mode` and `describe()` then
   * report what it really runs on.
   */
  allowFallback?: boolean;
  /**
   * Force a gpu.js mode (`'headlessgl'`, `'webgl2'`, `'webgl'`, or with `allowFallback` also
   * `'cpu'`). By default: `headlessgl` in Node, `webgl2` (else `webgl`) in a browser.
   */
  mode?: 'headlessgl' | 'webgl2' | 'webgl' | 'cpu';
  /** A canvas (browser) for gpu.js to render into; gpu.js makes its own by default. */
  canvas?: unknown;
  /** The name the instance reports (default `'gpujs'`); must match the name it is registered under. */
  name?: string;
}

/** The gpu.js instance a backend uses, with what it found out about it. */
export interface GpuContext {
  /** The gpu.js instance. */
  gpu: GPU;
  /** What the kernels really run on. */
  mode: GpujsMode;
  /** The gpu.js kernel class that ran the self-test (`HeadlessGLKernel`, `WebGL2Kernel`, …). */
  kernelType: string;
  /** Whether the mode is one of gpu.js's non-GPU fallbacks. */
  isFallback: boolean;
  /** GL renderer and version, when known. */
  renderer: string;
  /** Largest texture side the context accepts (0 when not on GL). */
  maxTextureSize: number;
  /** Why the GPU path was not taken, when falling back. */
  fallbackReason?: string;
}

const KERNEL_MODES: Readonly<Record<string, GpujsMode>> = {
  HeadlessGLKernel: 'headlessgl',
  WebGL2Kernel: 'webgl2',
  WebGLKernel: 'webgl',
  CPUKernel: 'cpu',
  WebAssemblyKernel: 'wasm',
  WebGPUKernel: 'webgpu',
};

/** The gpu.js kernel class names that count as running on the GPU. */
export const GL_KERNEL_TYPES: readonly string[] = [
  'HeadlessGLKernel',
  'WebGL2Kernel',
  'WebGLKernel',
];

/** Maps a gpu.js kernel class name to the mode it stands for. */
export function modeOfKernelType(kernelType: string): GpujsMode {
  return KERNEL_MODES[kernelType] ?? 'unknown';
}

interface NodeProcess {
  versions?: { node?: string };
  env?: Record<string, string | undefined>;
  platform?: string;
}

function nodeProcess(): NodeProcess | undefined {
  const p = (globalThis as { process?: NodeProcess }).process;
  return p?.versions?.node ? p : undefined;
}

/** True in Node (and not in a browser page that happens to define `process`). */
export function isNode(): boolean {
  return (
    nodeProcess() !== undefined &&
    typeof (globalThis as { window?: unknown }).window === 'undefined'
  );
}

/** Whether `RNNKIT_GPUJS_ALLOW_FALLBACK` asks for gpu.js's fallback. */
export function fallbackAllowedByEnv(): boolean {
  const v = nodeProcess()?.env?.RNNKIT_GPUJS_ALLOW_FALLBACK;
  return v === '1' || v === 'true' || v === 'yes';
}

const INSTALL_HINT =
  'install its build dependencies (Debian/Ubuntu: `apt-get install build-essential python3 pkg-config libgl1-mesa-dev libglu1-mesa-dev libx11-dev libxext-dev libxi-dev libgl1-mesa-dri xvfb xauth`, as scripts/install-system-deps.sh does) and rebuild it with `pnpm rebuild gl`';

type GlFactory = (width: number, height: number, options?: object) => WebGLLike | null;
interface WebGLLike {
  getParameter(p: number): unknown;
  getExtension(name: string): { destroy?: () => void; UNMASKED_RENDERER_WEBGL?: number } | null;
  readonly VERSION: number;
  readonly RENDERER: number;
  readonly MAX_TEXTURE_SIZE: number;
}

/**
 * Loads the native `gl` module lazily (Node only; the specifier is hidden from bundlers so that
 * browser bundles never see `node:module`).
 */
async function loadGl(): Promise<GlFactory> {
  const specifier = 'node:module';
  const { createRequire } = (await import(/* @vite-ignore */ specifier)) as {
    createRequire: (url: string) => (id: string) => unknown;
  };
  const require = createRequire(import.meta.url);
  try {
    return require('gl') as GlFactory;
  } catch (e) {
    throw new BackendError(
      `gpujs backend: the native 'gl' module did not build or load (${firstLine(e)}): ${INSTALL_HINT}`,
    );
  }
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}

/** Checks in Node that headless-gl can make a WebGL context with float textures. */
async function probeHeadlessGl(): Promise<{ renderer: string; maxTextureSize: number }> {
  const createGl = await loadGl();
  let ctx: WebGLLike | null;
  try {
    ctx = createGl(1, 1);
  } catch (e) {
    ctx = null;
    void e;
  }
  if (!ctx) {
    const display = nodeProcess()?.env?.DISPLAY;
    if (!display && nodeProcess()?.platform === 'linux') {
      throw new BackendError(
        "gpujs backend: no X display (DISPLAY is not set), so the native 'gl' module cannot make a GL context: run under `xvfb-run -a` (Debian/Ubuntu package xvfb), or opt into gpu.js's CPU fallback with registerGpujsBackend({ allowFallback: true }) / RNNKIT_GPUJS_ALLOW_FALLBACK=1",
      );
    }
    throw new BackendError(
      `gpujs backend: the native 'gl' module could not create a GL context${display ? ` on DISPLAY=${display}` : ''}: check that Mesa's software GL (libgl1-mesa-dri) is installed and the X server accepts GLX, or opt into gpu.js's fallback with allowFallback`,
    );
  }
  try {
    if (!ctx.getExtension('OES_texture_float')) {
      throw new BackendError(
        'gpujs backend: the GL context has no float textures (OES_texture_float), which this backend needs for float32 tensors',
      );
    }
    const info = ctx.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(
      (info?.UNMASKED_RENDERER_WEBGL !== undefined
        ? ctx.getParameter(info.UNMASKED_RENDERER_WEBGL)
        : undefined) ?? ctx.getParameter(ctx.RENDERER),
    );
    const version = String(ctx.getParameter(ctx.VERSION));
    return {
      renderer: `${renderer} (${version})`,
      maxTextureSize: Number(ctx.getParameter(ctx.MAX_TEXTURE_SIZE)),
    };
  } finally {
    ctx.getExtension('STACKGL_destroy_context')?.destroy?.();
  }
}

/** Describes the GL context behind a kernel that ran on WebGL. */
function rendererOf(kernel: IKernelRunShortcut): { renderer: string; maxTextureSize: number } {
  const ctx = (kernel.kernel as unknown as { context?: WebGLLike }).context;
  if (!ctx || typeof ctx.getParameter !== 'function') return { renderer: '', maxTextureSize: 0 };
  let renderer = String(ctx.getParameter(ctx.RENDERER));
  const info = ctx.getExtension('WEBGL_debug_renderer_info');
  if (info?.UNMASKED_RENDERER_WEBGL !== undefined) {
    const unmasked = ctx.getParameter(info.UNMASKED_RENDERER_WEBGL);
    if (unmasked) renderer = String(unmasked);
  }
  return {
    renderer: `${renderer} (${String(ctx.getParameter(ctx.VERSION))})`,
    maxTextureSize: Number(ctx.getParameter(ctx.MAX_TEXTURE_SIZE)),
  };
}

/**
 * Runs a tiny pipeline kernel and returns the gpu.js kernel class that really ran it; fails when
 * the result is wrong or the kernel did not keep float32 precision.
 */
function selfTest(gpu: GPU): { kernelType: string; kernel: IKernelRunShortcut } {
  const kernel = gpu.createKernel('function(a) { return a[this.thread.x] * 2.0 + 0.25; }', {
    output: [3],
    pipeline: true,
    immutable: true,
    precision: 'single',
    tactic: 'precision',
  });
  const out = kernel(new Float32Array([1, -2, 1e-3])) as unknown as
    | { toArray?: () => ArrayLike<number> }
    | ArrayLike<number>;
  const values =
    'toArray' in out && typeof out.toArray === 'function'
      ? out.toArray()
      : (out as ArrayLike<number>);
  (out as { delete?: () => void }).delete?.();
  const expected = [2.25, -3.75, 0.252];
  for (let i = 0; i < 3; i++) {
    if (!(Math.abs(values[i] - expected[i]) < 1e-6)) {
      throw new BackendError(
        `gpujs backend: self-test kernel returned [${Array.from(values).join(', ')}], expected [${expected.join(', ')}]`,
      );
    }
  }
  const kernelType = kernel.kernel.constructor.name;
  const precision = (kernel.kernel as unknown as { precision?: string }).precision;
  if (GL_KERNEL_TYPES.includes(kernelType) && precision !== 'single') {
    throw new BackendError(
      `gpujs backend: ${kernelType} ran the self-test with '${precision}' precision: the GL context cannot render to float textures`,
    );
  }
  return { kernelType, kernel };
}

function browserGlMode(requested: GpujsBackendOptions['mode']): 'webgl2' | 'webgl' {
  if (requested === 'webgl2' || requested === 'webgl') {
    const ok = requested === 'webgl2' ? GPU.isWebGL2Supported : GPU.isWebGLSupported;
    if (!ok) throw new BackendError(`gpujs backend: ${requested} is not available in this browser`);
    return requested;
  }
  if (GPU.isWebGL2Supported) return 'webgl2';
  if (GPU.isWebGLSupported) return 'webgl';
  throw new BackendError(
    'gpujs backend: this browser offers neither WebGL2 nor WebGL (GPU blocklisted or disabled?)',
  );
}

/**
 * Makes the gpu.js instance: the GL path when it works (checked by a self-test that asserts
 * which gpu.js kernel class ran), else a {@link BackendError} naming the missing piece, or with
 * `allowFallback` gpu.js's automatic choice (reported honestly).
 */
export async function createGpuContext(options: GpujsBackendOptions = {}): Promise<GpuContext> {
  const allowFallback = options.allowFallback ?? fallbackAllowedByEnv();
  const canvas = options.canvas === undefined ? {} : { canvas: options.canvas };
  let failure: BackendError | undefined;
  if (options.mode !== 'cpu') {
    let gpu: GPU | undefined;
    try {
      let known: { renderer: string; maxTextureSize: number } | undefined;
      let mode: 'headlessgl' | 'webgl2' | 'webgl';
      if (isNode()) {
        if (options.mode && options.mode !== 'headlessgl') {
          throw new BackendError(
            `gpujs backend: mode '${options.mode}' needs a browser; Node has 'headlessgl'`,
          );
        }
        known = await probeHeadlessGl();
        mode = 'headlessgl';
      } else {
        mode = browserGlMode(options.mode);
      }
      try {
        gpu = new GPU({ mode, ...canvas } as ConstructorParameters<typeof GPU>[0]);
      } catch (e) {
        throw new BackendError(
          `gpujs backend: gpu.js could not start in '${mode}' mode: ${firstLine(e)}`,
        );
      }
      addHelpers(gpu);
      const { kernelType, kernel } = selfTest(gpu);
      if (!GL_KERNEL_TYPES.includes(kernelType)) {
        throw new BackendError(
          `gpujs backend: gpu.js fell back to ${kernelType} in '${mode}' mode (a GL shader failed to compile or link)`,
        );
      }
      const found = rendererOf(kernel);
      return {
        gpu,
        mode: modeOfKernelType(kernelType),
        kernelType,
        isFallback: false,
        renderer: known?.renderer ?? found.renderer,
        maxTextureSize: found.maxTextureSize || known?.maxTextureSize || 0,
      };
    } catch (e) {
      try {
        gpu?.destroy();
      } catch {
        // Nothing more to free.
      }
      failure = e instanceof BackendError ? e : new BackendError(`gpujs backend: ${firstLine(e)}`);
      if (!allowFallback) throw failure;
    }
  } else if (!allowFallback) {
    throw new BackendError(
      "gpujs backend: mode 'cpu' is gpu.js's fallback; pass allowFallback: true to use it",
    );
  }
  // gpu.js's own choice: WebAssembly or plain JavaScript kernels when there is no GL.
  const gpu = new GPU({
    ...(options.mode === 'cpu' ? { mode: 'cpu' } : {}),
    ...canvas,
  } as ConstructorParameters<typeof GPU>[0]);
  addHelpers(gpu);
  const { kernelType, kernel } = selfTest(gpu);
  const found = GL_KERNEL_TYPES.includes(kernelType) ? rendererOf(kernel) : undefined;
  return {
    gpu,
    mode: modeOfKernelType(kernelType),
    kernelType,
    isFallback: !GL_KERNEL_TYPES.includes(kernelType),
    renderer: found?.renderer ?? '',
    maxTextureSize: found?.maxTextureSize ?? 0,
    fallbackReason: failure?.message,
  };
}

function addHelpers(gpu: GPU): void {
  for (const source of HELPER_FUNCTIONS) {
    (gpu as unknown as { addFunction(source: string): void }).addFunction(source);
  }
}
