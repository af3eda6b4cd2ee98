/**
 * The conformance suite on the gpujs backend, compared kernel by kernel with cpu. The float64
 * exclusions are derived by the suite from the backend's declared `dtypes`; the others are the
 * package's own `conformance` export (each with its reason; each still failing, or this fails).
 * In Node it must run on headless GL (under `xvfb-run -a`); a gpu.js fallback fails here
 * rather than passing unnoticed.
 */
import '@rnnkit/backend-gpujs';
import { conformance, GpujsBackend } from '@rnnkit/backend-gpujs';
import { ENGINE, initBackend, matMul, setBackend, tensor, tidy } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { describeConformance } from '../src/vitest.js';

describe('gpujs backend runs on a real GL context', () => {
  it('reports HeadlessGLKernel, not a gpu.js fallback, and a product runs on it', async () => {
    await initBackend('cpu');
    await setBackend('gpujs');
    const backend = ENGINE.backend;
    expect(backend).toBeInstanceOf(GpujsBackend);
    const gl = backend as GpujsBackend;
    expect(gl.isFallback).toBe(false);
    expect(gl.mode).toBe('headlessgl');
    expect(gl.kernelType).toBe('HeadlessGLKernel');
    const y = tidy(() =>
      matMul(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        tensor([[5], [6]]),
      ),
    );
    expect(Array.from(y.dataSync())).toEqual([17, 39]);
  });
});

await describeConformance('gpujs', conformance);
