/**
 * Which gpu.js kernel classes the backend compiled: lets tests prove the kernels ran on GL, not on
 * a fallback.
 */
import type { GpujsBackend } from '../src/index.js';

export { GPUJS_BACKEND_NAME } from '../src/index.js';

/** The gpu.js kernel classes of every kernel the backend has compiled so far. */
export function listedKernelTypes(backend: GpujsBackend): string[] {
  const cache = (backend as unknown as { cache: Map<string, { kernel: object }> }).cache;
  return [...cache.values()].map((k) => k.kernel.constructor.name);
}
