/**
 * Tests of the package entry point: importing `@rnnkit/backend-cpu` registers the `cpu` backend
 * with core.
 */
import { getBackend, listBackends, setBackend } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { CPU_BACKEND_NAME, CpuBackend, cpuKernels, createCpuBackend } from './index.js';

describe('@rnnkit/backend-cpu entry point', () => {
  it('exports the backend class and its kernel table', () => {
    expect(new CpuBackend().kernels).toBe(cpuKernels);
  });

  it('has the face of every backend package: name constant, factory with options, describe()', () => {
    const backend = createCpuBackend();
    expect(backend).toBeInstanceOf(CpuBackend);
    expect(backend.name).toBe(CPU_BACKEND_NAME);
    expect(backend.describe()).toMatch(/^cpu: /);
    expect(createCpuBackend({ name: 'cpu-2' }).name).toBe('cpu-2');
  });

  it('registers the backend as cpu on import', async () => {
    expect(listBackends()).toContain('cpu');
    await setBackend('cpu');
    expect(getBackend()).toBeInstanceOf(CpuBackend);
  });
});
