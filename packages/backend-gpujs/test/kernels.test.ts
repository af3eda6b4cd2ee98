/**
 * The gpujs backend's kernel cache: one compilation per kernel, shape and attributes, with the
 * optimiser's learning rate and step passed as uniforms. Every backend-agnostic kernel case
 * (values, shapes, special values, tolerances) lives in @rnnkit/conformance.
 */
import { describe, expect, it } from 'vitest';
import { gpuBackend, runKernel } from './helpers.js';

describe('kernel cache', () => {
  it('compiles a kernel once per shape and attributes', async () => {
    const gpu = await gpuBackend();
    const inputs = { x: { values: [1, 2, 3], shape: [3] } };
    runKernel(gpu, 'Unary', inputs, { op: 'exp' });
    const before = gpu.memory().cachedKernels;
    runKernel(gpu, 'Unary', inputs, { op: 'exp' });
    expect(gpu.memory().cachedKernels).toBe(before);
    runKernel(gpu, 'Unary', inputs, { op: 'log' });
    expect(gpu.memory().cachedKernels).toBe((before as number) + 1);
  });

  it('compiles AdamUpdate once per variant: the learning rate and step are uniforms', async () => {
    const adamw = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true };
    const gpu = await gpuBackend();
    const param = { values: [0.5, -1, 2, 0.25, -0.75], shape: [5] };
    const inputs = {
      param,
      grad: param,
      m: param,
      v: { values: [0.1, 0.2, 0.3, 0.4, 0.5], shape: [5] },
    };
    runKernel(gpu, 'AdamUpdate', inputs, { ...adamw, lr: 1e-2, step: 1 });
    const before = gpu.memory().cachedKernels;
    for (const [lr, step] of [
      [0.5, 2],
      [1e-4, 1000],
    ]) {
      runKernel(gpu, 'AdamUpdate', inputs, { ...adamw, lr, step });
    }
    expect(gpu.memory().cachedKernels).toBe(before);
  });
});
