#!/usr/bin/env node
/**
 * The `rnnkit-conformance` command: runs the whole conformance suite (or the parts asked for)
 * against one backend — named, or loaded from any module — printing one line per case, a
 * closing `N passed, M failed` line per part and in total, and optionally a JSON report.
 */
import { mkdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import '@rnnkit/backend-cpu';
import { ENGINE } from '@rnnkit/core';
import { BackendLoadError, loadBackendModule, loadBackendPackage } from './backends.js';
import { shippedFixturesDir } from './fixture_dirs.js';
import type { FixtureRoute } from './fixture_runner.js';
import type { ConformanceProfile } from './profile.js';
import {
  formatCaseLine,
  formatCounts,
  formatPartLine,
  PARTS,
  type Part,
  reportToJson,
} from './report.js';
import { runConformance } from './run_suite.js';

/** Usage text of the CLI. */
export const CLI_USAGE = `Usage: rnnkit-conformance --backend <name> [options]
       rnnkit-conformance --backend-module <specifier> [--export <name>] [options]

Runs the rnnkit conformance suite against one backend: the PyTorch golden fixtures
(outputs, final states and every gradient), every kernel of the catalogue against the cpu
reference, and every op's gradient against central finite differences (float64).

Backend (one of):
  --backend <name>           the backend registered by the package @rnnkit/backend-<name>;
                             with --backend-module: which of the backends it registers
  --backend-module <spec>    a module that registers a backend with @rnnkit/core when
                             imported, or exports a factory (or instance); a path
                             (./my-backend.js) is taken from the current directory, anything
                             else is imported as a package. Its export 'conformance' (a
                             ConformanceProfile) declares what it does not support.
  --export <name>            the export to build the backend from (default: the backend the
                             module registers, else export 'default', then 'createBackend')

Cases:
  --only <parts>             comma-separated parts: fixtures,kernels,gradients (default all)
  --filter <prefix>          only cases whose id starts with <prefix> (by '/' segment, '*'
                             matches one); repeatable
  --fixtures <dir>           run the fixture cases of <dir> too; a case named like a shipped
                             one replaces it; repeatable, later directories win
  --replace-fixtures         run only the --fixtures directories, not the shipped fixtures
  --dtype <dtypes>           fixture dtypes: float32,float64 (default both)
  --route <routes>           fixture routes: nn,core (default both)
  --seed <n>                 fast-check seed of the gradient checks (default 42)
  --num-runs <n>             problems drawn per gradient check (default 6)

Output:
  --json <file>              also write a JSON report (every case: id, part, status, errors
                             and tolerances, kernels called; the backend's describe())
  -h, --help                 print this help

Prints one line per case (PASS, FAIL or EXCLUDED, its id, then its largest error or the
reason), a line "<part>: N passed, M failed[, K excluded]" closing each part, and last the
total "N passed, M failed". Exit status: 0 when no case failed, 1 when any failed or the
run could not start, 2 on a usage error.`;

/** Parsed command line. */
export interface CliArgs {
  /** `--backend`. */
  backend?: string;
  /** `--backend-module`. */
  backendModule?: string;
  /** `--export`. */
  exportName?: string;
  /** `--only`. */
  parts: Part[];
  /** `--filter`, repeatable. */
  filter: string[];
  /** `--fixtures`, unresolved, in order. */
  fixtures: string[];
  /** `--replace-fixtures`. */
  replaceFixtures: boolean;
  /** `--dtype`. */
  dtypes: ('float32' | 'float64')[];
  /** `--route`. */
  routes: FixtureRoute[];
  /** `--seed`. */
  seed?: number;
  /** `--num-runs`. */
  numRuns?: number;
  /** `--json`, unresolved. */
  json?: string;
}

/** Thrown for an invalid command line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function list<T extends string>(
  option: string,
  value: string | undefined,
  allowed: readonly T[],
): T[] {
  if (value === undefined) return [...allowed];
  const items = value.split(',').map((s) => s.trim());
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item))
      throw new UsageError(
        `--${option} takes a comma-separated list of ${allowed.join(', ')}; got '${item}'`,
      );
  }
  return [...new Set(items)] as T[];
}

function integer(option: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min)
    throw new UsageError(`--${option} must be an integer ≥ ${min}, got '${value}'`);
  return n;
}

/**
 * Parses the arguments (`--name value` or `--name=value`); returns `'help'` for `--help`.
 * @throws {@link UsageError} for an unknown option, a missing value or an invalid choice.
 */
export function parseCliArgs(argv: readonly string[]): CliArgs | 'help' {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        backend: { type: 'string' },
        'backend-module': { type: 'string' },
        export: { type: 'string' },
        only: { type: 'string' },
        filter: { type: 'string', multiple: true },
        fixtures: { type: 'string', multiple: true },
        'replace-fixtures': { type: 'boolean' },
        dtype: { type: 'string' },
        route: { type: 'string' },
        seed: { type: 'string' },
        'num-runs': { type: 'string' },
        json: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return 'help';
  const str = (k: string) => values[k] as string | undefined;
  const strs = (k: string) => (values[k] as string[] | undefined) ?? [];
  for (const k of ['backend', 'backend-module', 'export', 'json'])
    if (str(k) === '') throw new UsageError(`--${k} needs a non-empty value`);
  if (str('backend') === undefined && str('backend-module') === undefined)
    throw new UsageError(
      'give the backend to test: --backend <name> or --backend-module <specifier>',
    );
  if (str('export') !== undefined && str('backend-module') === undefined)
    throw new UsageError('--export names an export of --backend-module, which is missing');
  if (str('backend') !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(str('backend')!))
    throw new UsageError(
      `--backend must be a backend name (lower-case letters, digits, dashes), got '${str('backend')}'; a file goes to --backend-module`,
    );
  if (values['replace-fixtures'] && strs('fixtures').length === 0)
    throw new UsageError('--replace-fixtures needs at least one --fixtures <dir>');
  return {
    backend: str('backend'),
    backendModule: str('backend-module'),
    exportName: str('export'),
    parts: list('only', str('only'), PARTS),
    filter: strs('filter'),
    fixtures: strs('fixtures'),
    replaceFixtures: values['replace-fixtures'] === true,
    dtypes: list('dtype', str('dtype'), ['float32', 'float64'] as const),
    routes: list('route', str('route'), ['nn', 'core'] as const),
    seed: integer('seed', str('seed'), -(2 ** 31)),
    numRuns: integer('num-runs', str('num-runs'), 1),
    json: str('json'),
  };
}

/** Where the CLI writes, and how it finds things; injectable for tests. */
export interface CliEnvironment {
  /** Standard output, one call per line. */
  out: (line: string) => void;
  /** Standard error, one call per line. */
  err: (line: string) => void;
  /** Environment variables (`INIT_CWD`). */
  env?: Record<string, string | undefined>;
  /** The directory relative paths are taken from (default `INIT_CWD ?? process.cwd()`). */
  cwd?: string;
  /** Imports a module (default: dynamic `import()`). */
  importer?: (specifier: string) => Promise<unknown>;
}

/** Writes `text` to `path` through a temporary file and a rename: never a half-written report. */
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Loads the backend the arguments name; returns its registered name and profile. */
async function loadBackend(
  args: CliArgs,
  cwd: string,
  importer: CliEnvironment['importer'],
): Promise<{ name: string; profile: ConformanceProfile }> {
  if (args.backendModule !== undefined) {
    const loaded = await loadBackendModule(args.backendModule, {
      exportName: args.exportName,
      backendName: args.backend,
      cwd,
      importer,
    });
    return { name: loaded.name, profile: loaded.profile };
  }
  return { name: args.backend!, profile: await loadBackendPackage(args.backend!, importer) };
}

/**
 * Runs the CLI and returns its exit status (0 no case failed, 1 failures or could not start,
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
    io.err('run rnnkit-conformance --help for the options');
    return 2;
  }
  if (args === 'help') {
    io.out(CLI_USAGE);
    return 0;
  }
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? env.INIT_CWD ?? process.cwd();

  let backend: { name: string; profile: ConformanceProfile };
  try {
    backend = await loadBackend(args, cwd, io.importer);
  } catch (e) {
    io.err(
      `error: cannot load the backend: ${e instanceof BackendLoadError ? e.message : String(e)}`,
    );
    return 1;
  }
  const fixtureDirs = [
    ...(args.replaceFixtures ? [] : [shippedFixturesDir()]),
    ...args.fixtures.map((d) => resolve(cwd, d)),
  ];
  try {
    const instance = await ENGINE.initBackend(backend.name);
    io.err(
      `backend ${instance.name}: ${instance.describe?.() ?? 'no description'}; dtypes ${instance.dtypes.join(', ')}; ` +
        `kernels compared with cpu; fixtures from ${fixtureDirs.join(', ')}`,
    );
    const report = await runConformance(backend.name, {
      ...backend.profile,
      parts: args.parts,
      fixtureDirs,
      fixtureDTypes: args.dtypes,
      fixtureRoutes: args.routes,
      filter: args.filter,
      seed: args.seed,
      numRuns: args.numRuns,
      onCase: (r) => io.out(formatCaseLine(r)),
      onPart: (part, counts) => io.out(formatPartLine(part, counts)),
    });
    io.out(formatCounts(report.summary.total, false));
    if (args.json !== undefined) {
      const path = resolve(cwd, args.json);
      writeAtomically(path, reportToJson(report));
      io.err(`report written to ${path}`);
    }
    return report.summary.total.failed === 0 ? 0 : 1;
  } catch (e) {
    io.err(`error: ${(e as Error).message}`);
    return 1;
  }
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
