/**
 * What the gpujs backend's tests share: one GL backend per file and a seeded stream. Its
 * kernels are compared with the cpu reference in @rnnkit/conformance, not here.
 */
import { Random } from '@rnnkit/core';
import { createGpujsBackend, type GpujsBackend } from '../src/index.js';

export { sizeOf as size } from '@rnnkit/core';
export type { HostInput, HostInputs } from '@rnnkit/test-utils';
export { expectClose, get, integers, put, runKernel, uniform } from '@rnnkit/test-utils';

let shared: Promise<GpujsBackend> | undefined;

/**
 * The gpu.js backend of this test file (one GL context and one kernel cache per file). Fails —
 * never skips — when no GL context can be made: the tests must run under `xvfb-run -a`.
 */
export function gpuBackend(): Promise<GpujsBackend> {
  shared ??= createGpujsBackend({ allowFallback: false });
  return shared;
}

/** A seeded stream. */
export function rng(seed: number): Random {
  return new Random(seed);
}
