/**
 * `@rnnkit/backend-gpujs`: a gpu.js backend. Tensors live on the GPU as float textures
 * (WebGL2/WebGL in a browser, headless-gl in Node under an X display such as Xvfb); every
 * kernel, including the fused recurrent layers, is a gpu.js kernel compiled once per shape.
 * Importing this module registers it with core under the name `'gpujs'` (priority 0, so it is
 * only used when chosen with `await setBackend('gpujs')`).
 *
 * @packageDocumentation
 */
import { registerBackend } from '@rnnkit/core';
import { createGpujsBackend } from './backend.js';
import type { GpujsBackendOptions } from './context.js';
import { GPUJS_BACKEND_NAME } from './name.js';

export type { GpuValue, KernelArg } from './backend.js';
export { createGpujsBackend, GpujsBackend } from './backend.js';
export { conformance } from './conformance.js';
export type { GpuContext, GpujsBackendOptions, GpujsMode } from './context.js';
export {
  createGpuContext,
  fallbackAllowedByEnv,
  GL_KERNEL_TYPES,
  modeOfKernelType,
} from './context.js';
export { gpujsKernels } from './kernels/index.js';
export { GPUJS_BACKEND_NAME } from './name.js';

/**
 * Registry priority: 0, below the always-working `cpu` backend (1), because creating a GL
 * context is asynchronous and may fail; choose it explicitly with `await setBackend('gpujs')`.
 */
export const GPUJS_BACKEND_PRIORITY = 0;

/**
 * (Re-)registers the `'gpujs'` backend with options, e.g. to accept gpu.js's CPU fallback:
 * @example
 * ```ts
 * registerGpujsBackend({ allowFallback: true });
 * await setBackend('gpujs');
 * ```
 */
export function registerGpujsBackend(options: GpujsBackendOptions = {}): void {
  registerBackend(
    options.name ?? GPUJS_BACKEND_NAME,
    () => createGpujsBackend(options),
    GPUJS_BACKEND_PRIORITY,
  );
}

registerGpujsBackend();
