// The shared backend loader: names, descriptions, and the typed error for what cannot start.
import { getBackend } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import {
  BACKENDS,
  BackendUnavailableError,
  isBackendName,
  loadBackend,
  loadFirstAvailable,
} from '../src/backends.js';

describe('loadBackend', () => {
  it('activates each backend and returns its description', async () => {
    for (const name of ['cpu', 'wasm'] as const) {
      const described = await loadBackend(name);
      expect(getBackend().name).toBe(name);
      expect(described.startsWith(`${name}`)).toBe(true);
    }
  });

  it('refuses a name it does not know, with a typed error naming the choices', async () => {
    expect(isBackendName('tpu')).toBe(false);
    expect(BACKENDS.every(isBackendName)).toBe(true);
    const error = await loadBackend('tpu').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as BackendUnavailableError).backend).toBe('tpu');
    expect((error as BackendUnavailableError).reason).toBe('expected one of cpu, wasm, gpujs');
  });
});

describe('loadFirstAvailable', () => {
  it('takes the first backend of the preference that starts', async () => {
    const warnings: string[] = [];
    await loadFirstAvailable((e) => warnings.push(e.backend), ['cpu', 'wasm']);
    expect(getBackend().name).toBe('cpu');
    expect(warnings).toEqual([]);
  });
});
