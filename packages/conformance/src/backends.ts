/**
 * Loading backend packages by name, and the exclusion matching shared by the Vitest suite and
 * the CLI.
 */
import { listBackends } from '@rnnkit/core';

/** The npm package that provides backend `name`: `@rnnkit/backend-<name>`. */
export function backendPackageName(name: string): string {
  return `@rnnkit/backend-${name}`;
}

/** Thrown when a backend package cannot be loaded or does not register the backend. */
export class BackendLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendLoadError';
  }
}

/**
 * Imports `@rnnkit/backend-<name>` (which registers the backend with core as a side effect)
 * and checks that a backend called `name` is now registered.
 *
 * @param importer - how to import a module (tests inject one); defaults to dynamic `import()`.
 * @throws {@link BackendLoadError} naming the package when it is not installed, fails to load
 *   or registers no backend of that name.
 */
export async function loadBackendPackage(
  name: string,
  importer: (specifier: string) => Promise<unknown> = (s) => import(s),
): Promise<void> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw new BackendLoadError(
      `invalid backend name '${name}': expected lower-case letters, digits and dashes`,
    );
  }
  const pkg = backendPackageName(name);
  try {
    await importer(pkg);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const notFound =
      (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND') &&
      String(err.message).includes(`'${pkg}'`);
    if (notFound) {
      throw new BackendLoadError(
        `backend package ${pkg} is not installed: add "${pkg}": "workspace:*" to the devDependencies of @rnnkit/conformance and run pnpm install`,
      );
    }
    throw new BackendLoadError(
      `backend package ${pkg} failed to load: ${err?.message ?? String(e)}`,
    );
  }
  if (!listBackends().includes(name)) {
    throw new BackendLoadError(
      `${pkg} was imported but registered no backend named '${name}' (registered: ${listBackends().join(', ') || 'none'})`,
    );
  }
}

/**
 * True when test `id` is covered by exclusion `key`. Both are `/`-separated paths; the key
 * matches when its segments equal the id's leading segments, `*` matching any one segment.
 * `kernel/Binary` covers every Binary case; `kernel/*\/float64` every float64 kernel case.
 */
export function exclusionMatches(key: string, id: string): boolean {
  const k = key.split('/');
  const s = id.split('/');
  if (k.length > s.length) return false;
  return k.every((seg, i) => seg === '*' || seg === s[i]);
}

/** The first exclusion that covers `id`, as `[key, reason]`, or undefined. */
export function findExclusion(
  exclusions: Readonly<Record<string, string>>,
  id: string,
): [string, string] | undefined {
  for (const [key, reason] of Object.entries(exclusions))
    if (exclusionMatches(key, id)) return [key, reason];
  return undefined;
}
