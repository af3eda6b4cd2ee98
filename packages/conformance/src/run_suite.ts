/**
 * Runs the suite against one registered backend, without any test runner: every case of the
 * chosen parts in order, each either excluded (with the declaration and reason), passed or
 * failed, with its errors, tolerances and the kernels it called. The CLI is a thin shell
 * around {@link runConformance}; a backend author's own runner can call it the same way.
 */
import '@rnnkit/backend-cpu';
import { ENGINE } from '@rnnkit/core';
import { type FixtureEntry, loadFixtureSet } from '@rnnkit/testing';
import { shippedFixturesDir } from './fixture_dirs.js';
import type { FixtureRoute } from './fixture_runner.js';
import { type CaseContext, planSuite, type SuiteCase } from './plan.js';
import {
  type ConformanceProfile,
  exclusionMatches,
  ProfileError,
  staleExclusions,
  staticExclusion,
  tracedExclusion,
  validateProfile,
} from './profile.js';
import {
  type CaseResult,
  type ConformanceReport,
  type Counts,
  countCases,
  formatWorst,
  PARTS,
  type Part,
  sortErrors,
} from './report.js';
import { resolveTolerances } from './tolerances.js';
import { KernelTrace } from './trace.js';

/** The reference backend every other backend's kernels are compared with. */
export const REFERENCE_BACKEND = 'cpu';

/** Options of {@link runConformance}: which cases, and the backend's profile. */
export interface RunConformanceOptions extends ConformanceProfile {
  /** The parts to run (default all: fixtures, kernels, gradients). */
  parts?: readonly Part[];
  /**
   * Fixture directories, in order; a case of a later one replaces a same-named case of an
   * earlier one. Default: the fixtures shipped in this package ({@link shippedFixturesDir}).
   */
  fixtureDirs?: readonly string[];
  /** Fixture dtypes (default every float dtype; those the backend lacks are excluded). */
  fixtureDTypes?: readonly ('float32' | 'float64')[];
  /** Fixture routes (default `nn` and `core`). */
  fixtureRoutes?: readonly FixtureRoute[];
  /** Run only the cases whose id starts with one of these prefixes (segments; `*` matches one). */
  filter?: readonly string[];
  /** fast-check seed of the gradient checks (default 42). */
  seed?: number;
  /** Problems drawn per gradient check (default 6). */
  numRuns?: number;
  /** Called after each case, in run order (for progress lines). */
  onCase?: (result: CaseResult) => void;
  /** Called after each part with its counts. */
  onPart?: (part: Part, counts: Counts) => void;
}

/** The cases a run would hold: the whole suite for the backend, and the fixture set used. */
export interface SuitePlan {
  /** Every case of the suite (all parts, before `parts` and `filter`). */
  all: SuiteCase[];
  /** The cases selected by `parts` and `filter`, in run order. */
  selected: SuiteCase[];
  /** Fixture directories used. */
  fixtureDirs: string[];
  /** Fixture cases of a later directory that replaced a same-named earlier one. */
  replaced: { name: string; by: string; was: string }[];
}

/**
 * Plans a run: loads the fixtures and lists every case, then selects by part and filter.
 * @throws when a fixture directory cannot be read or is empty.
 */
export function planConformance(options: RunConformanceOptions = {}): SuitePlan {
  const fixtureDirs = [...(options.fixtureDirs ?? [shippedFixturesDir()])];
  const { entries, replaced } = loadFixtureSet(fixtureDirs);
  const all = planSuite({
    entries: entries as FixtureEntry[],
    dtypes: options.fixtureDTypes,
    routes: options.fixtureRoutes,
  });
  const parts = options.parts ?? PARTS;
  const filter = options.filter ?? [];
  const selected = all.filter(
    (c) =>
      parts.includes(c.part) &&
      (filter.length === 0 || filter.some((prefix) => exclusionMatches(prefix, c.id))),
  );
  return { all, selected, fixtureDirs, replaced };
}

/**
 * Runs the conformance suite against backend `backendName`, which must be registered with
 * core (import its package first). Kernel cases are compared with the cpu backend's kernels;
 * cpu itself is compared with the host oracle and core's composed recurrent reference.
 *
 * @throws {@link ProfileError} when the profile contradicts the backend, or an exclusion
 *   matches no case of the suite (stale or misspelt); an Error when a fixture directory
 *   cannot be read or the backend cannot be initialised. A wrong backend never throws: its
 *   cases fail.
 * @example
 * ```ts
 * import '@rnnkit/backend-cpu';
 * import { runConformance } from '@rnnkit/conformance';
 *
 * const report = await runConformance('cpu', { parts: ['kernels'], filter: ['kernel/Unary'] });
 * console.log(report.summary.total); // { passed: 105, failed: 0, excluded: 0 }
 * ```
 */
export async function runConformance(
  backendName: string,
  options: RunConformanceOptions = {},
): Promise<ConformanceReport> {
  const started = Date.now();
  await ENGINE.initBackend(REFERENCE_BACKEND);
  const backend = await ENGINE.initBackend(backendName);
  validateProfile(options, backend);
  const plan = planConformance(options);
  const stale = staleExclusions(
    options,
    plan.all.map((c) => c.id),
  );
  if (stale.length > 0) {
    throw new ProfileError(
      `exclusion${stale.length > 1 ? 's' : ''} ${stale.map((k) => `'${k}'`).join(', ')} match${stale.length > 1 ? '' : 'es'} no case of the suite (stale or misspelt)`,
    );
  }
  const { ctx, trace } = prepareRun(backendName, options);
  const cases: CaseResult[] = [];
  const parts = PARTS.filter((p) => (options.parts ?? PARTS).includes(p));
  try {
    for (const part of parts) {
      const inPart: CaseResult[] = [];
      for (const c of plan.selected.filter((s) => s.part === part)) {
        const result = await runCase(c, ctx, options, trace);
        inPart.push(result);
        cases.push(result);
        options.onCase?.(result);
      }
      options.onPart?.(part, countCases(inPart));
    }
  } finally {
    trace.uninstall();
  }
  const summary = Object.fromEntries(
    parts.map((p) => [p, countCases(cases.filter((c) => c.part === p))]),
  ) as Record<Part, Counts>;
  return {
    format: 'rnnkit-conformance-report@1',
    backend: {
      name: backend.name,
      description: backend.describe?.() ?? '',
      dtypes: [...backend.dtypes],
    },
    reference: REFERENCE_BACKEND,
    parts,
    fixtureDirs: plan.fixtureDirs,
    filter: [...(options.filter ?? [])],
    tolerances: ctx.tolerances,
    cases,
    summary: { ...summary, total: countCases(cases) },
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
  };
}

/**
 * What running cases on an initialised backend needs: the context every case gets, and the
 * tracing of the backend's kernels (installed now; call `trace.uninstall()` when done).
 */
export function prepareRun(
  backendName: string,
  options: Pick<RunConformanceOptions, 'tolerances' | 'seed' | 'numRuns' | 'unsupportedKernels'>,
): { ctx: CaseContext; trace: KernelTrace } {
  const ctx: CaseContext = {
    backend: backendName,
    reference: REFERENCE_BACKEND,
    tolerances: resolveTolerances(options.tolerances),
    seed: options.seed,
    numRuns: options.numRuns,
  };
  return {
    ctx,
    trace: new KernelTrace(backendName, Object.keys(options.unsupportedKernels ?? {})),
  };
}

/**
 * Runs one case on the backend under test (made active first), or reports why it is
 * excluded: statically (a dtype the backend lacks, an unsupported kernel's own case, an
 * exclusion key) or after running (it called a kernel declared unsupported).
 */
export async function runCase(
  c: SuiteCase,
  ctx: CaseContext,
  profile: ConformanceProfile,
  trace?: KernelTrace,
): Promise<CaseResult> {
  const started = Date.now();
  const base = { id: c.id, part: c.part, durationMs: 0 };
  const backend = await ENGINE.initBackend(ctx.backend);
  const excluded = staticExclusion(profile, backend, c.id, c.needs);
  if (excluded) {
    return {
      ...base,
      status: 'excluded',
      exclusion: excluded,
      message: excluded.reason,
      errors: [],
      worstError: 0,
      kernels: [],
    };
  }
  await ENGINE.setBackend(ctx.backend);
  const run = async () => {
    try {
      return await c.run(ctx);
    } catch (e) {
      return {
        ok: false,
        message: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
        errors: [],
      };
    }
  };
  const { result: outcome, kernels } = trace
    ? await trace.record(run)
    : { result: await run(), kernels: [] };
  const { errors, worst } = sortErrors(outcome.errors);
  const worstError = outcome.ok || errors.length > 0 ? worst : Number.POSITIVE_INFINITY;
  const durationMs = Date.now() - started;
  const afterwards = tracedExclusion(profile, kernels);
  if (afterwards) {
    return {
      ...base,
      status: 'excluded',
      exclusion: afterwards,
      message: `${afterwards.reason} (it ${outcome.ok ? 'passed' : `failed: ${outcome.message}`})`,
      errors,
      worstError,
      kernels,
      durationMs,
    };
  }
  return {
    ...base,
    status: outcome.ok ? 'passed' : 'failed',
    message:
      outcome.ok && errors.length > 0 ? formatPassed(c, outcome.message, errors) : outcome.message,
    errors,
    worstError,
    kernels,
    durationMs,
  };
}

// Fixture lines keep their `max err out … grad …` form; other passes name the worst measure.
function formatPassed(c: SuiteCase, message: string, errors: CaseResult['errors']): string {
  return c.part === 'fixtures' ? message : formatWorst(errors);
}
