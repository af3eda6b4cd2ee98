/**
 * Choosing and loading a compute backend for an app: each backend package is imported only when
 * it is asked for, so a run that never uses gpujs never loads its native GL module (Node) or
 * gpu.js (browser bundles split it into its own chunk).
 */
import { getBackend, RnnkitError, setBackend } from '@rnnkit/core';

/** Backends the apps can run on. */
export const BACKENDS = ['cpu', 'wasm', 'gpujs'] as const;
/** A backend name. */
export type BackendName = (typeof BACKENDS)[number];

/** Whether `name` is one of {@link BACKENDS}. */
export function isBackendName(name: string): name is BackendName {
  return (BACKENDS as readonly string[]).includes(name);
}

/**
 * A backend that could not start. `reason` says why in one line (the package is not installed,
 * no WebGL context, the wasm binary was not found, …); apps prefix it with the flag or control
 * the name came from.
 */
export class BackendUnavailableError extends RnnkitError {
  /** The backend asked for. */
  readonly backend: string;
  /** Why it could not start, one line. */
  readonly reason: string;
  constructor(backend: string, reason: string) {
    super(`backend '${backend}' is unavailable: ${reason}`);
    this.backend = backend;
    this.reason = reason;
  }
}

const LOADERS: Record<BackendName, () => Promise<unknown>> = {
  cpu: () => import('@rnnkit/backend-cpu'),
  wasm: () => import('@rnnkit/backend-wasm'),
  gpujs: () => import('@rnnkit/backend-gpujs'),
};

/**
 * Imports backend `name`'s package, makes it the active backend, and returns what it says it runs
 * on (`describe()`, else its name). A name outside {@link BACKENDS}, a package that is not
 * installed or a backend that fails to start is a {@link BackendUnavailableError}.
 */
export async function loadBackend(name: string): Promise<string> {
  if (!isBackendName(name))
    throw new BackendUnavailableError(name, `expected one of ${BACKENDS.join(', ')}`);
  try {
    await LOADERS[name]();
    await setBackend(name);
  } catch (e) {
    const message = (e as Error).message.split('\n')[0];
    throw new BackendUnavailableError(
      name,
      /Cannot find (module|package)/.test(message)
        ? `@rnnkit/backend-${name} is not installed${name === 'gpujs' ? " (it is optional: install it, with its native 'gl' module, to use it)" : ''}`
        : `the backend failed to start: ${message}`,
    );
  }
  const backend = getBackend();
  return backend.describe?.() ?? backend.name;
}

/**
 * Loads the first of `preference` that starts (by default wasm, the fastest on a CPU, then cpu),
 * calling `warn` with the reason each one before it failed. Throws the last
 * {@link BackendUnavailableError} when none starts.
 */
export async function loadFirstAvailable(
  warn: (reason: BackendUnavailableError) => void,
  preference: readonly BackendName[] = ['wasm', 'cpu'],
): Promise<string> {
  let last: unknown;
  for (const name of preference) {
    try {
      return await loadBackend(name);
    } catch (e) {
      if (!(e instanceof BackendUnavailableError)) throw e;
      last = e;
      if (name !== preference.at(-1)) warn(e);
    }
  }
  throw last ?? new BackendUnavailableError('(none)', 'no backend was listed');
}
