/**
 * Loading the backend under test: by name from its `@rnnkit/backend-<name>` package, or from
 * any module — one that registers a backend with core when imported, or one that exports a
 * factory (or an instance) — together with the module's conformance profile.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Backend } from '@rnnkit/core';
import { listBackends, registerBackend } from '@rnnkit/core';
import type { ConformanceProfile } from './profile.js';

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

/** The `conformance` export of a backend module (its profile), `{}` when it has none. */
function profileOf(mod: unknown, what: string): ConformanceProfile {
  const profile = ((mod as Record<string, unknown> | undefined)?.conformance ??
    {}) as ConformanceProfile;
  if (typeof profile !== 'object' || profile === null)
    throw new BackendLoadError(
      `${what}: export 'conformance' must be an object (a ConformanceProfile)`,
    );
  return profile;
}

/**
 * Imports `@rnnkit/backend-<name>` (which registers the backend with core as a side effect),
 * checks that a backend called `name` is now registered, and returns the package's
 * `conformance` export: the profile it declares (`{}` when it has none).
 *
 * @param importer - how to import a module (tests inject one); defaults to dynamic `import()`.
 * @throws {@link BackendLoadError} naming the package when it is not installed, fails to load
 *   or registers no backend of that name.
 */
export async function loadBackendPackage(
  name: string,
  importer: (specifier: string) => Promise<unknown> = (s) => import(s),
): Promise<ConformanceProfile> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw new BackendLoadError(
      `invalid backend name '${name}': expected lower-case letters, digits and dashes`,
    );
  }
  const pkg = backendPackageName(name);
  let mod: unknown;
  try {
    mod = await importer(pkg);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const notFound =
      (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND') &&
      String(err.message).includes(`'${pkg}'`);
    if (notFound) {
      throw new BackendLoadError(
        `backend package ${pkg} is not installed: install it next to @rnnkit/conformance (npm install ${pkg}; in the rnnkit workspace, add it to this package's devDependencies), or load a backend from any module with --backend-module`,
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
  return profileOf(mod, pkg);
}

/** What {@link loadBackendModule} found. */
export interface LoadedBackend {
  /** The name the backend is registered under. */
  name: string;
  /** How it was found: registered by the module, or built from an export. */
  source: 'registered' | `export '${string}'`;
  /** The module's `conformance` export, when it has one. */
  profile: ConformanceProfile;
}

/** Options of {@link loadBackendModule}. */
export interface LoadBackendModuleOptions {
  /**
   * The export to build the backend from: a factory (`() => Backend | Promise<Backend>`) or a
   * backend instance. Default: the backend the module registers when imported; failing that,
   * the default export, then `createBackend`.
   */
  exportName?: string;
  /** Which of several backends the module registers to test. */
  backendName?: string;
  /** The directory a relative specifier is taken from (default `process.cwd()`). */
  cwd?: string;
  /** How to import a module (tests inject one); defaults to dynamic `import()`. */
  importer?: (specifier: string) => Promise<unknown>;
}

const isBackend = (v: unknown): v is Backend =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Backend).name === 'string' &&
  typeof (v as Backend).write === 'function' &&
  typeof (v as Backend).kernels === 'object';

/** A file path (`./x.js`, `../x.mjs`, `/abs/x.js`) as a file URL; a package name as it is. */
export function moduleSpecifierToImport(specifier: string, cwd: string): string {
  if (specifier.startsWith('.') || isAbsolute(specifier))
    return pathToFileURL(resolve(cwd, specifier)).href;
  return specifier;
}

/**
 * Imports the module `specifier` and finds the backend it provides: the backend it registers
 * with core when imported (a module like `@rnnkit/backend-cpu`), or the backend built from
 * its `exportName` export (a factory or an instance), which is then registered under the
 * backend's own `name`. The module's named export `conformance` is its profile.
 *
 * @throws {@link BackendLoadError} naming the module and what it lacks: not found, no
 *   backend registered or exported, several registered without `backendName`, a name taken
 *   by another backend (`cpu` is the reference), or a second copy of `@rnnkit/core`.
 */
export async function loadBackendModule(
  specifier: string,
  options: LoadBackendModuleOptions = {},
): Promise<LoadedBackend> {
  const importer = options.importer ?? ((s: string) => import(s));
  const target = moduleSpecifierToImport(specifier, options.cwd ?? process.cwd());
  const before = new Set(listBackends());
  let mod: Record<string, unknown>;
  try {
    mod = (await importer(target)) as Record<string, unknown>;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new BackendLoadError(
      err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(specifier)
        ? `backend module '${specifier}' not found (looked for ${target})`
        : `backend module '${specifier}' failed to load: ${err?.message ?? String(e)}`,
    );
  }
  const profile = profileOf(mod, `'${specifier}'`);
  const added = listBackends().filter((n) => !before.has(n));

  if (options.exportName === undefined && options.backendName !== undefined) {
    if (!listBackends().includes(options.backendName)) {
      throw new BackendLoadError(
        `'${specifier}' registered no backend named '${options.backendName}' (registered: ${listBackends().join(', ') || 'none'})`,
      );
    }
    return { name: options.backendName, source: 'registered', profile };
  }
  if (options.exportName === undefined && added.length === 1)
    return { name: added[0], source: 'registered', profile };
  if (options.exportName === undefined && added.length > 1) {
    throw new BackendLoadError(
      `'${specifier}' registered several backends (${added.join(', ')}): choose one with --backend <name>`,
    );
  }

  const candidates =
    options.exportName !== undefined ? [options.exportName] : ['default', 'createBackend'];
  const exportName = candidates.find((n) => mod[n] !== undefined);
  if (exportName === undefined) {
    const exports = Object.keys(mod).join(', ') || 'none';
    throw new BackendLoadError(
      options.exportName !== undefined
        ? `'${specifier}' has no export '${options.exportName}' (its exports: ${exports})`
        : `'${specifier}' registered no backend when imported and exports no factory as 'default' or 'createBackend' (its exports: ${exports}); ` +
            'if it registers one, it may have imported a second copy of @rnnkit/core: install one version of @rnnkit/* next to it',
    );
  }
  const exported = mod[exportName];
  let backend: Backend;
  if (isBackend(exported)) backend = exported;
  else if (typeof exported === 'function') {
    try {
      backend = await (exported as () => Backend | Promise<Backend>)();
    } catch (e) {
      throw new BackendLoadError(
        `'${specifier}': factory '${exportName}' threw: ${(e as Error).message}`,
      );
    }
    if (!isBackend(backend))
      throw new BackendLoadError(
        `'${specifier}': factory '${exportName}' did not return a backend (an object with name, write and kernels)`,
      );
  } else {
    throw new BackendLoadError(
      `'${specifier}': export '${exportName}' is neither a backend factory nor a backend (got ${typeof exported})`,
    );
  }
  if (before.has(backend.name)) {
    throw new BackendLoadError(
      `'${specifier}': the backend is named '${backend.name}', which is already registered${backend.name === 'cpu' ? ' (cpu is the reference the suite compares with)' : ''}; give it its own name`,
    );
  }
  registerBackend(backend.name, () => backend, 0);
  return { name: backend.name, source: `export '${exportName}'`, profile };
}
