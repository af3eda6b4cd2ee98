#!/usr/bin/env node
/**
 * Command-line runner of the PyTorch golden fixtures against one backend:
 *
 * ```sh
 * pnpm conformance --backend cpu --fixtures ../shared/conformance/fixtures [--dtype float32|float64]
 * ```
 *
 * Prints one line per case and a closing `N passed, M failed` line; exits non-zero when any
 * case fails or cannot be read.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getBackend, setBackend } from '@rnnkit/core';
import { BackendLoadError, backendPackageName, loadBackendPackage } from './backends.js';
import { type FixtureRoute, formatFixtureResult, runFixture } from './fixture_runner.js';
import {
  type FixtureEntry,
  fixturesDirFromEnv,
  loadFixtureDir,
  shippedFixturesDir,
} from './fixtures.js';

/** Usage text of the CLI. */
export const CLI_USAGE = `Usage: pnpm conformance --backend <name> [--fixtures <dir>] [--dtype float32|float64] [--route nn|core]

Runs every PyTorch golden fixture (*.json except index.json) in <dir> on backend <name>
(imported from the package @rnnkit/backend-<name>) and checks outputs, final states and the
gradients of x, h0, c0 and every weight.

Options:
  --backend <name>   backend to test: cpu, wasm, gpujs, ... (required)
  --fixtures <dir>   fixture directory; a relative path is taken from the directory the
                     command was started in (default: $RNNKIT_FIXTURES, else the monorepo's
                     ../shared/conformance/fixtures)
  --dtype <dtype>    float32 (default) or float64 (only on backends that support it)
  --route <route>    nn (default): through @rnnkit/nn's LSTM/GRU/SimpleRNN layers;
                     core: a layer stack built on core's rnnSequence, without @rnnkit/nn
  -h, --help         print this help

Prints one line per case (PASS name  max err out <e> grad <e> | FAIL name  reason), then
"N passed, M failed". Exit status: 0 when every case passed, 1 when any failed or the run
could not start, 2 on a usage error.`;

/** Parsed command line. */
export interface CliArgs {
  /** `--backend`. */
  backend: string;
  /** `--fixtures`, unresolved. */
  fixtures?: string;
  /** `--dtype`. */
  dtype: 'float32' | 'float64';
  /** `--route`. */
  route: FixtureRoute;
}

/** Thrown for an invalid command line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Parses the arguments (`--name value` or `--name=value`); returns `'help'` for `--help`.
 * @throws {@link UsageError} for an unknown option, a missing value or an invalid choice.
 */
export function parseCliArgs(argv: readonly string[]): CliArgs | 'help' {
  const values: Record<string, string> = {};
  const known = ['backend', 'fixtures', 'dtype', 'route'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--') continue;
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!m || !known.includes(m[1])) throw new UsageError(`unknown argument '${arg}'`);
    let value = m[2];
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined || value.startsWith('--'))
        throw new UsageError(`option --${m[1]} needs a value`);
    }
    values[m[1]] = value;
  }
  if (!values.backend) throw new UsageError('option --backend is required');
  const dtype = values.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new UsageError(`--dtype must be float32 or float64, got '${dtype}'`);
  const route = values.route ?? 'nn';
  if (route !== 'nn' && route !== 'core')
    throw new UsageError(`--route must be nn or core, got '${route}'`);
  return { backend: values.backend, fixtures: values.fixtures, dtype, route };
}

/** Where the CLI writes, and how it finds things; injectable for tests. */
export interface CliEnvironment {
  /** Standard output, one call per line. */
  out: (line: string) => void;
  /** Standard error, one call per line. */
  err: (line: string) => void;
  /** Environment variables (`INIT_CWD`, `RNNKIT_FIXTURES`). */
  env?: Record<string, string | undefined>;
  /** The directory relative paths are taken from (default `INIT_CWD ?? process.cwd()`). */
  cwd?: string;
  /** Imports a backend package (default: dynamic `import()`). */
  importer?: (specifier: string) => Promise<unknown>;
}

/**
 * Runs the CLI and returns its exit status (0 all passed, 1 failures or could not start,
 * 2 usage error). Never calls `process.exit`.
 */
export async function runConformanceCli(
  argv: readonly string[],
  io: CliEnvironment,
): Promise<number> {
  let args: CliArgs | 'help';
  try {
    args = parseCliArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`error: ${e.message}`);
    io.err(CLI_USAGE);
    return 2;
  }
  if (args === 'help') {
    io.out(CLI_USAGE);
    return 0;
  }
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? env.INIT_CWD ?? process.cwd();
  const dir =
    args.fixtures !== undefined
      ? resolve(cwd, args.fixtures)
      : fixturesDirFromEnv(shippedFixturesDir(), { ...env, INIT_CWD: cwd });

  try {
    await loadBackendPackage(args.backend, io.importer);
    await setBackend(args.backend);
  } catch (e) {
    io.err(
      `error: cannot load backend '${args.backend}' (${backendPackageName(args.backend)}): ${e instanceof BackendLoadError ? e.message : (e as Error).message}`,
    );
    return 1;
  }
  const backend = getBackend();
  if (!backend.dtypes.includes(args.dtype)) {
    io.err(
      `error: backend '${args.backend}' does not support ${args.dtype} (it supports ${backend.dtypes.join(', ')}); ` +
        `run it with --dtype ${backend.dtypes.includes('float32') ? 'float32' : backend.dtypes[0]}`,
    );
    return 1;
  }

  let entries: FixtureEntry[];
  try {
    entries = loadFixtureDir(dir);
  } catch (e) {
    io.err(`error: cannot read fixture directory ${dir}: ${(e as Error).message}`);
    return 1;
  }
  if (entries.length === 0) {
    io.err(`error: no fixture (*.json other than index.json) in ${dir}`);
    io.out('0 passed, 0 failed');
    return 1;
  }
  io.err(
    `backend ${backend.name}: ${backend.describe?.() ?? 'no description'}; ${args.dtype}; ${entries.length} cases in ${dir}`,
  );
  let passed = 0;
  let failed = 0;
  for (const entry of entries) {
    if (!entry.fixture) {
      failed++;
      io.out(`FAIL ${entry.name}  ${entry.error}`);
      continue;
    }
    const result = await runFixture(entry.fixture, { dtype: args.dtype, route: args.route });
    if (result.ok) passed++;
    else failed++;
    io.out(formatFixtureResult(result, entry.name));
  }
  io.out(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  runConformanceCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
