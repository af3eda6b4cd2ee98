/**
 * `@rnnkit/backend-wasm`: a WebAssembly SIMD backend for rnnkit. Importing this module
 * registers it under the name `'wasm'` ({@link WASM_BACKEND_NAME}) with priority 2.
 *
 * @packageDocumentation
 */
import { registerBackend } from '@rnnkit/core';
import { createWasmBackend } from './backend.js';
import { WASM_BACKEND_NAME } from './name.js';

export type { WasmBackendOptions } from './backend.js';
export { createWasmBackend, MAX_PARAM_RANK, MEMORY_CEILING_BYTES, WasmBackend } from './backend.js';
export { wasmKernels } from './kernels/index.js';
export type { RnnkitExports, WasmSource } from './module.js';
export { defaultWasmUrl } from './module.js';
export { WASM_BACKEND_NAME } from './name.js';

/**
 * Registry priority: 2, above `cpu` (1) and `gpujs` (0), so that importing this package makes
 * it the default backend.
 */
export const WASM_BACKEND_PRIORITY = 2;

registerBackend(WASM_BACKEND_NAME, () => createWasmBackend(), WASM_BACKEND_PRIORITY);

export type { ThreadPool } from './threads.js';
