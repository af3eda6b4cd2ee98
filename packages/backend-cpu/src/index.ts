/**
 * `@rnnkit/backend-cpu`: the plain-TypeScript reference backend. Importing this module registers
 * it with core under the name `'cpu'`.
 *
 * @packageDocumentation
 */
import { registerBackend } from '@rnnkit/core';
import { createCpuBackend } from './backend.js';

export type { CpuBackendOptions } from './backend.js';
export { CpuBackend, createCpuBackend } from './backend.js';
export { cpuKernels } from './kernels/index.js';

/** The name this backend registers under. */
export const CPU_BACKEND_NAME = 'cpu';

/**
 * Registry priority: low, so that any accelerated backend that is also imported wins the
 * default choice, while `cpu` remains the fallback that always works.
 */
export const CPU_BACKEND_PRIORITY = 1;

registerBackend(CPU_BACKEND_NAME, () => createCpuBackend(), CPU_BACKEND_PRIORITY);

export type { FloatArray } from './kernels/util/float.js';
