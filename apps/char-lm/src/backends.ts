/** Choosing and loading a compute backend; each backend package is imported only when it is used. */
import { getBackend, setBackend } from '@rnnkit/core';
import { CliError } from './errors.js';

/** Backends the app can run on, fastest first for training on a CPU-only machine. */
export const BACKENDS = ['wasm', 'cpu', 'gpujs'] as const;
/** A backend name. */
export type BackendName = (typeof BACKENDS)[number];

const loaders: Record<BackendName, () => Promise<unknown>> = {
  cpu: () => import('@rnnkit/backend-cpu'),
  wasm: () => import('@rnnkit/backend-wasm'),
  gpujs: () => import('@rnnkit/backend-gpujs'),
};

/**
 * Activates backend `name`, or without a name the fastest one that starts (wasm, then cpu).
 * Returns its description. A backend that cannot load is a {@link CliError} naming `--backend`.
 */
export async function useBackend(
  name: BackendName | undefined,
  warn: (line: string) => void,
): Promise<string> {
  const tryOne = async (b: BackendName): Promise<void> => {
    try {
      await loaders[b]();
      await setBackend(b);
    } catch (e) {
      const msg = (e as Error).message.split('\n')[0];
      throw new CliError(
        b === 'gpujs' && /Cannot find (module|package)/.test(msg)
          ? "--backend gpujs: @rnnkit/backend-gpujs is not installed (it is optional: install it, with its native 'gl' module, to use it)"
          : `--backend ${b}: the backend failed to start: ${msg}`,
      );
    }
  };
  if (name) await tryOne(name);
  else {
    try {
      await tryOne('wasm');
    } catch (e) {
      warn(`${(e as Error).message}; using cpu`);
      await tryOne('cpu');
    }
  }
  const b = getBackend();
  return b.describe?.() ?? b.name;
}
