// Chooses the compute backend; each backend package is imported only when it is asked for, so
// runs that never use gpujs never load its native GL module.
import { getBackend, setBackend } from '@rnnkit/core';
import { InputError } from './errors.js';

/** Backends the app can run on. */
export const BACKENDS = ['cpu', 'wasm', 'gpujs'] as const;
/** A backend name. */
export type BackendName = (typeof BACKENDS)[number];

const LOADERS: Record<BackendName, () => Promise<unknown>> = {
  cpu: () => import('@rnnkit/backend-cpu'),
  wasm: () => import('@rnnkit/backend-wasm'),
  gpujs: () => import('@rnnkit/backend-gpujs'),
};

/** Loads and selects `name`; returns what the backend says it runs on. */
export async function useBackend(name: string): Promise<string> {
  if (!(BACKENDS as readonly string[]).includes(name))
    throw new InputError(`--backend must be one of ${BACKENDS.join(', ')}, got '${name}'`);
  try {
    await LOADERS[name as BackendName]();
    await setBackend(name);
  } catch (e) {
    throw new InputError(
      `--backend ${name}: the backend could not start (${(e as Error).message}); try --backend ${BACKENDS.filter((b) => b !== name).join(' or ')}`,
    );
  }
  const b = getBackend();
  return b.describe?.() ?? b.name;
}
