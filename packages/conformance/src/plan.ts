/**
 * The cases of the whole suite as plain data — id, part, what each needs (dtypes, a kernel)
 * and how to run it — independent of any test runner, so that the CLI, a backend author's own
 * runner and the Vitest face all run the same list.
 */
import type { DType, KernelName } from '@rnnkit/core';
import { ENGINE, KERNEL_NAMES } from '@rnnkit/core';
import type { FixtureEntry } from '@rnnkit/testing';
import { describeFixtureResult, type FixtureRoute, runFixture } from './fixture_runner.js';
import { gradientChecks, runGradientCheck } from './gradient_checks.js';
import {
  kernelCases,
  rnnAbsentDyCases,
  rnnCases,
  rnnCheckpointCases,
  rnnDirectionCases,
  rnnEmptyCases,
  runKernelCase,
} from './kernels/index.js';
import type { ErrorMeasure, Part } from './report.js';
import { storageErrorSuiteCases } from './storage_errors.js';
import type { Tolerances } from './tolerances.js';

/** What a case needs of the backend: the dtypes it involves, and the kernel a kernel case calls. */
export interface CaseNeeds {
  /** Every dtype the case stores on the backend. */
  dtypes: DType[];
  /** The kernel a kernel-level case calls directly (other cases may call any). */
  kernel?: KernelName;
}

/** How one case ended when it ran. */
export interface CaseOutcome {
  /** Whether every compared quantity was within its tolerance and nothing threw. */
  ok: boolean;
  /** One line: the largest errors, or what failed. */
  message: string;
  /** Every compared quantity. */
  errors: ErrorMeasure[];
}

/** What running a case needs to know. */
export interface CaseContext {
  /** The backend under test (registered, initialised and active when the case starts). */
  backend: string;
  /** The reference backend kernel cases compare with (`cpu`). */
  reference: string;
  /** Tolerances in force. */
  tolerances: Tolerances;
  /** fast-check seed of the gradient checks. */
  seed?: number;
  /** Problems per gradient check. */
  numRuns?: number;
}

/** One case of the suite. */
export interface SuiteCase {
  /** Stable id; exclusions and `filter` match it by `/`-separated prefix. */
  id: string;
  /** The part it belongs to. */
  part: Part;
  /** What it needs of the backend. */
  needs: CaseNeeds;
  /** Runs it (never throws for a wrong backend: the failure is the outcome). */
  run: (ctx: CaseContext) => Promise<CaseOutcome>;
}

/** Which fixture cases to plan. */
export interface FixturePlan {
  /** The fixture files (readable or not: an unreadable one is a failing case). */
  entries: readonly FixtureEntry[];
  /** Dtypes to run them in (default both float dtypes). */
  dtypes?: readonly ('float32' | 'float64')[];
  /** Routes (default `nn` and `core`). */
  routes?: readonly FixtureRoute[];
}

const thrown = (e: unknown): CaseOutcome => ({
  ok: false,
  message: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
  errors: [],
});

/** `fixture/<dtype>/<route>/<case>` for every entry, dtype and route. */
export function fixtureSuiteCases(plan: FixturePlan): SuiteCase[] {
  const cases: SuiteCase[] = [];
  for (const dtype of plan.dtypes ?? (['float64', 'float32'] as const)) {
    for (const route of plan.routes ?? (['core', 'nn'] as const)) {
      for (const entry of plan.entries) {
        cases.push({
          id: `fixture/${dtype}/${route}/${entry.name}`,
          part: 'fixtures',
          needs: { dtypes: [dtype] },
          run: async (ctx) => {
            if (!entry.fixture) return thrown(new Error(`${entry.file}: ${entry.error}`));
            const r = await runFixture(entry.fixture, {
              dtype,
              route,
              tolerances: ctx.tolerances,
            });
            return {
              ok: r.ok,
              message: describeFixtureResult(r),
              errors: r.checks.map(({ name, error, tolerance, ok }) => ({
                name,
                error,
                tolerance,
                ok,
              })),
            };
          },
        });
      }
    }
  }
  return cases;
}

/** `registered/<Kernel>`: the backend has an implementation of every kernel of the catalogue. */
export function registrationSuiteCases(): SuiteCase[] {
  return KERNEL_NAMES.map((kernel) => ({
    id: `registered/${kernel}`,
    part: 'kernels',
    needs: { dtypes: [], kernel },
    run: async (ctx) => {
      const ok = typeof ENGINE.getKernel(kernel, ctx.backend) === 'function';
      return {
        ok,
        message: ok ? 'registered' : `kernel '${kernel}' is not registered for '${ctx.backend}'`,
        errors: [],
      };
    },
  }));
}

/** `kernel/<Kernel>/<dtype>/…`: every kernel against the reference backend (cpu: the oracle). */
export function kernelSuiteCases(): SuiteCase[] {
  return [
    ...kernelCases(),
    ...rnnCases(),
    ...rnnEmptyCases(),
    ...rnnCheckpointCases(),
    ...rnnDirectionCases(),
    ...rnnAbsentDyCases(),
  ].map((c) => ({
    id: c.id,
    part: 'kernels',
    needs: { dtypes: 'mode' in c ? [c.dtype] : [...c.dtypes], kernel: c.kernel },
    run: async (ctx) => {
      const r = await runKernelCase(ctx.backend, c, {
        tolerances: ctx.tolerances,
        referenceBackend: ctx.reference,
      });
      return {
        ok: r.ok,
        message: r.message ?? '',
        errors: r.checks.map(({ name, error, tolerance, ok }) => ({
          name,
          error,
          tolerance,
          ok,
        })),
      };
    },
  }));
}

/** `gradient/<op>/…`: every op's gradient against central finite differences (float64). */
export function gradientSuiteCases(): SuiteCase[] {
  return gradientChecks().map((g) => ({
    id: g.id,
    part: 'gradients',
    needs: { dtypes: ['float64'] },
    run: async (ctx) => {
      const r = runGradientCheck(g, {
        tolerances: ctx.tolerances,
        seed: ctx.seed,
        numRuns: ctx.numRuns,
      });
      const tolerance = ctx.tolerances.finiteDifference.tolerance;
      return {
        ok: r.ok,
        message: r.message ?? '',
        errors: [{ name: 'tape vs finite differences', error: r.error, tolerance, ok: r.ok }],
      };
    },
  }));
}

/**
 * Every case of the suite, fixtures first, then registration, kernels and storage errors, then
 * gradients.
 */
export function planSuite(fixtures: FixturePlan): SuiteCase[] {
  return [
    ...fixtureSuiteCases(fixtures),
    ...registrationSuiteCases(),
    ...kernelSuiteCases(),
    ...storageErrorSuiteCases(),
    ...gradientSuiteCases(),
  ];
}
