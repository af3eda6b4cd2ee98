// The `--backend` flag's backends, loaded through the apps' shared loader with errors that name
// the flag and the alternatives.
import {
  BACKENDS,
  type BackendName,
  BackendUnavailableError,
  loadBackend,
} from '@rnnkit/app-kit/backends';
import { InputError } from './errors.js';

export { BACKENDS, type BackendName };

/** Loads and selects `name`; returns what the backend says it runs on. */
export async function useBackend(name: string): Promise<string> {
  try {
    return await loadBackend(name);
  } catch (e) {
    if (!(e instanceof BackendUnavailableError)) throw e;
    const others = BACKENDS.filter((b) => b !== name).join(' or ');
    throw new InputError(
      (BACKENDS as readonly string[]).includes(name)
        ? `--backend ${name}: ${e.reason}; try --backend ${others}`
        : `--backend must be one of ${BACKENDS.join(', ')}, got '${name}'`,
    );
  }
}
