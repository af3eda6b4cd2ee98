import { getBackend, listBackends, setBackend } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { CpuBackend, cpuKernels } from './index.js';

describe('@rnnkit/backend-cpu entry point', () => {
  it('exports the backend class and its kernel table', () => {
    expect(new CpuBackend().kernels).toBe(cpuKernels);
  });

  it('registers the backend as cpu on import', async () => {
    expect(listBackends()).toContain('cpu');
    await setBackend('cpu');
    expect(getBackend()).toBeInstanceOf(CpuBackend);
  });
});
