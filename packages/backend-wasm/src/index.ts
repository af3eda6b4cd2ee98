/**
 * `@rnnkit/backend-wasm`: a WebAssembly SIMD backend for rnnkit. Importing this module
 * registers it under the name `'wasm'` with priority 2.
 *
 * @packageDocumentation
 */
import { registerBackend } from '@rnnkit/core';
import { createWasmBackend } from './backend.js';

export type { WasmBackendOptions } from './backend.js';
export { createWasmBackend, MAX_PARAM_RANK, MEMORY_CEILING_BYTES, WasmBackend } from './backend.js';
export type { RnnkitExports, WasmSource } from './module.js';
export { defaultWasmUrl } from './module.js';

registerBackend('wasm', () => createWasmBackend(), 2);

export type { ThreadPool } from './threads.js';
