/** The `--backend` flag's backends, loaded through the apps' shared loader with errors that name the flag. */
import {
  BACKENDS,
  type BackendName,
  BackendUnavailableError,
  loadBackend,
  loadFirstAvailable,
} from '@rnnkit/app-kit/backends';
import { CliError } from './errors.js';

export { BACKENDS, type BackendName };

/**
 * Activates backend `name`, or without a name the fastest one that starts (wasm, then cpu).
 * Returns its description. A backend that cannot load is a {@link CliError} naming `--backend`.
 */
export async function useBackend(
  name: BackendName | undefined,
  warn: (line: string) => void,
): Promise<string> {
  try {
    return name
      ? await loadBackend(name)
      : await loadFirstAvailable((e) => warn(`--backend ${e.backend}: ${e.reason}; using cpu`));
  } catch (e) {
    if (e instanceof BackendUnavailableError)
      throw new CliError(`--backend ${e.backend}: ${e.reason}`);
    throw e;
  }
}
