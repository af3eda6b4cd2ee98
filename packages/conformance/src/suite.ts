/**
 * The Vitest face of the suite: {@link describeConformance} registers every check for one
 * backend, so that each backend package's test file is one line and every backend runs the
 * same checks, with its exclusions listed explicitly (in the manner of TF.js's
 * `describeWithFlags`).
 */
import '@rnnkit/backend-cpu';
import { ENGINE, initBackend, KERNEL_NAMES, setBackend } from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { exclusionMatches, findExclusion } from './backends.js';
import { type FixtureRoute, formatFixtureResult, runFixture } from './fixture_runner.js';
import {
  type FixtureEntry,
  fixturesDirFromEnv,
  loadFixtureDir,
  shippedFixturesDir,
} from './fixtures.js';
import { gradientChecks, runGradientCheck } from './gradient_checks.js';
import { kernelCases, rnnCases, runKernelCase } from './kernel_cases.js';
import { resolveTolerances, type ToleranceOverrides } from './tolerances.js';

/** Options of {@link describeConformance}. */
export interface ConformanceOptions {
  /**
   * Checks this backend is excused from, each with its reason: key → reason. A key is a test-id
   * prefix whose `/`-separated segments may be `*` (see {@link exclusionMatches}), e.g.
   * `'gradient': 'no float64 on this backend'`, `'kernel/*\/float64': 'no float64'`,
   * `'fixture/float64': 'no float64'`. Excluded checks are not registered at all (no skipped
   * tests); the exclusion list itself is checked: an exclusion that matches no check fails the
   * suite (it is stale or misspelt).
   */
  exclusions?: Readonly<Record<string, string>>;
  /** Tolerance overrides for this backend; write the reason next to each in the test file. */
  tolerances?: ToleranceOverrides;
  /** Fixture directory (default: `$RNNKIT_FIXTURES`, else the monorepo's shipped fixtures). */
  fixturesDir?: string;
  /** Routes the fixtures run through (default both `core` and `nn`). */
  fixtureRoutes?: readonly FixtureRoute[];
  /** Seed of fast-check in the gradient checks (default 42). */
  seed?: number;
  /** Problems per gradient check (default 6). */
  numRuns?: number;
}

/** One registered check: id, and the function that runs it (throwing on failure). */
interface Check {
  id: string;
  run: () => Promise<void> | void;
}

/**
 * Registers the whole conformance suite for backend `backendName` with Vitest. The backend's
 * package must be imported by the test file (it registers the backend); the cpu backend,
 * the reference, is imported here.
 *
 * Test ids (which exclusions match by prefix):
 * - `registered/<Kernel>`: every kernel of `KERNEL_NAMES` is registered for the backend;
 * - `fixture/<dtype>/<route>/<case>`: every PyTorch fixture of the directory;
 * - `kernel/<Kernel>/<dtype>/...`: every kernel against cpu (cpu: against the host oracle and
 *   the composed recurrent reference);
 * - `gradient/<op>/...`: every op's gradient against central finite differences (float64).
 *
 * @example
 * ```ts
 * // packages/conformance/test/wasm.test.ts (backends never depend on this package: that would be a cycle)
 * import '@rnnkit/backend-wasm';
 * import { describeConformance } from '../src/index.js';
 * describeConformance('wasm', {
 *   exclusions: { 'gradient': 'wasm has no float64; gradients are checked on cpu' },
 * });
 * ```
 */
export function describeConformance(backendName: string, options: ConformanceOptions = {}): void {
  const exclusions = options.exclusions ?? {};
  const tolerances = resolveTolerances(options.tolerances);
  const routes = options.fixtureRoutes ?? ['core', 'nn'];
  const fixturesDir = options.fixturesDir ?? fixturesDirFromEnv(shippedFixturesDir());
  const allIds: string[] = [];
  const excludedIds: string[] = [];

  describe(`conformance: ${backendName}`, () => {
    beforeAll(async () => {
      await initBackend('cpu');
      await setBackend(backendName);
    });

    const register = (checks: Check[]) => {
      const reasons = new Set<string>();
      let registered = 0;
      for (const c of checks) {
        allIds.push(c.id);
        const excluded = findExclusion(exclusions, c.id);
        if (excluded) {
          excludedIds.push(c.id);
          reasons.add(`'${excluded[0]}': ${excluded[1]}`);
        } else {
          it(c.id, async () => c.run());
          registered++;
        }
      }
      if (registered === 0 && checks.length > 0) {
        // A group excluded as a whole still reports itself, so the exclusion is visible in the run.
        it(`all ${checks.length} checks excluded (${[...reasons].join('; ')})`, () => {
          expect(reasons.size).toBeGreaterThan(0);
        });
      }
    };

    describe('kernel registry', () => {
      register(
        KERNEL_NAMES.map((k) => ({
          id: `registered/${k}`,
          run: () => {
            expect(
              ENGINE.getKernel(k, backendName),
              `kernel '${k}' is not registered for '${backendName}'`,
            ).toBeTypeOf('function');
          },
        })),
      );
    });

    describe(`fixtures in ${fixturesDir}`, () => {
      let entries: FixtureEntry[];
      try {
        entries = loadFixtureDir(fixturesDir);
      } catch (e) {
        register([
          {
            id: 'fixture/directory',
            run: () => {
              throw new Error(
                `cannot list fixture directory ${fixturesDir}: ${(e as Error).message}`,
              );
            },
          },
        ]);
        return;
      }
      if (entries.length === 0) {
        register([
          {
            id: 'fixture/directory',
            run: () => {
              throw new Error(`no fixture (*.json other than index.json) in ${fixturesDir}`);
            },
          },
        ]);
      }
      const checks: Check[] = [];
      for (const dtype of ['float64', 'float32'] as const) {
        for (const route of routes) {
          for (const entry of entries) {
            checks.push({
              id: `fixture/${dtype}/${route}/${entry.name}`,
              run: async () => {
                if (!entry.fixture) throw new Error(`${entry.file}: ${entry.error}`);
                assertDTypeSupported(backendName, dtype, `fixture/${dtype}`);
                const r = await runFixture(entry.fixture, { dtype, route, tolerances });
                if (!r.ok) throw new Error(formatFixtureResult(r, entry.name));
              },
            });
          }
        }
      }
      register(checks);
    });

    describe('kernels', () => {
      const cases = [...kernelCases(), ...rnnCases()];
      register(
        cases.map((c) => ({
          id: c.id,
          run: async () => {
            const dtypes = 'mode' in c ? [c.dtype] : c.dtypes;
            for (const d of dtypes) assertDTypeSupported(backendName, d, `kernel/*/${d}`);
            const r = await runKernelCase(backendName, c, { tolerances });
            if (!r.ok) throw new Error(`${c.id}: ${r.message}`);
          },
        })),
      );
    });

    describe('gradients against finite differences (float64)', () => {
      register(
        gradientChecks().map((g) => ({
          id: g.id,
          run: () => {
            const r = runGradientCheck(g, {
              tolerances,
              seed: options.seed,
              numRuns: options.numRuns,
            });
            if (!r.ok) throw new Error(`${g.id}: ${r.message}`);
          },
        })),
      );
    });

    describe('exclusions', () => {
      it(`every exclusion has a reason and matches a check (${excludedIds.length} checks excluded)`, () => {
        for (const [key, reason] of Object.entries(exclusions)) {
          expect(reason.trim(), `exclusion '${key}' needs a reason`).not.toBe('');
          expect(
            allIds.some((id) => exclusionMatches(key, id)),
            `exclusion '${key}' matches no check`,
          ).toBe(true);
        }
      });
    });
  });
}

function assertDTypeSupported(backendName: string, dtype: string, exclusionKey: string): void {
  const backend = ENGINE.backend.name === backendName ? ENGINE.backend : undefined;
  const dtypes = backend?.dtypes ?? [];
  if (!dtypes.includes(dtype as never)) {
    throw new Error(
      `backend '${backendName}' does not support ${dtype}; if that is by design, list the exclusion '${exclusionKey}' with the reason`,
    );
  }
}
