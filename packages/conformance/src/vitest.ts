/**
 * The Vitest face of the suite (`@rnnkit/conformance/vitest`): {@link describeConformance}
 * registers every case of the suite for one backend as one Vitest test, so that a backend's
 * test file is one call. It is a thin shell over the runner-agnostic plan
 * ({@link planConformance}, {@link runCase}); nothing else in this package imports Vitest.
 */
import '@rnnkit/backend-cpu';
import { type DType, DTypeError, ENGINE, tensor } from '@rnnkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesDirFromEnv, shippedFixturesDir } from './fixture_dirs.js';
import type { FixtureRoute } from './fixture_runner.js';
import type { SuiteCase } from './plan.js';
import {
  type ConformanceProfile,
  staleExclusions,
  staticExclusion,
  validateProfile,
} from './profile.js';
import { formatCaseLine, PARTS } from './report.js';
import { planConformance, prepareRun, REFERENCE_BACKEND, runCase } from './run_suite.js';

/** Options of {@link describeConformance}: the backend's profile and which fixtures to run. */
export interface ConformanceOptions extends ConformanceProfile {
  /** Fixture directory (default: `$RNNKIT_FIXTURES`, else the fixtures shipped in this package). */
  fixturesDir?: string;
  /** Routes the fixtures run through (default both `core` and `nn`). */
  fixtureRoutes?: readonly FixtureRoute[];
  /** Seed of fast-check in the gradient checks (default 42). */
  seed?: number;
  /** Problems per gradient check (default 6). */
  numRuns?: number;
}

/**
 * Registers the whole conformance suite for backend `backendName` with Vitest: one test per
 * case, named by its id. Await it at the top of the test file: it initialises the backend
 * first, so that the cases the backend is excused from (a dtype it lacks, a kernel it
 * declares unsupported, an exclusion key) are not registered as passing tests; each part then
 * has one test listing how many it excluded and why. A stale exclusion key fails the run:
 * one that matches no case, and one whose cases pass (each excluded case runs and must fail). The
 * backend's package must be imported by the test file (it registers the backend).
 *
 * @example
 * ```ts
 * // @example-no-run: registers Vitest tests, so it runs inside a Vitest test file
 * import '@rnnkit/backend-wasm';
 * import { describeConformance } from '@rnnkit/conformance/vitest';
 *
 * await describeConformance('wasm', {
 *   unsupportedDTypes: { float64: 'wasm stores float32 and int32 only' },
 * });
 * ```
 */
export async function describeConformance(
  backendName: string,
  options: ConformanceOptions = {},
): Promise<void> {
  await ENGINE.initBackend(REFERENCE_BACKEND);
  const backend = await ENGINE.initBackend(backendName);
  validateProfile(options, backend);
  const plan = planConformance({
    ...options,
    fixtureDirs: [options.fixturesDir ?? fixturesDirFromEnv(shippedFixturesDir())],
  });
  const { ctx, trace } = prepareRun(backendName, options);

  // A case excused by an exclusion key runs anyway and must still fail: an exclusion the
  // backend has outgrown is stale, and fails the run like a key that matches no case.
  const registerStillFails = (c: SuiteCase, key: string) =>
    it(`${c.id} still fails (excluded by '${key}')`, async () => {
      const r = await runCase(c, ctx, { ...options, exclusions: {} }, trace);
      if (r.status === 'passed')
        throw new Error(`exclusion '${key}' is stale: ${c.id} passes now; remove the exclusion`);
    });

  describe(`conformance: ${backendName}`, () => {
    afterAll(() => trace.uninstall());

    it('every exclusion has a reason and matches a case of the suite', () => {
      expect(
        staleExclusions(
          options,
          plan.all.map((c) => c.id),
        ),
      ).toEqual([]);
    });

    for (const part of PARTS) {
      describe(part, () => {
        const excluded = new Map<string, { key: string; count: number }>();
        for (const c of plan.selected.filter((s) => s.part === part)) {
          const e = staticExclusion(options, backend, c.id, c.needs);
          if (e) {
            const seen = excluded.get(e.reason) ?? { key: e.key, count: 0 };
            excluded.set(e.reason, { key: e.key, count: seen.count + 1 });
            if (e.key in (options.exclusions ?? {})) registerStillFails(c, e.key);
            continue;
          }
          it(c.id, async (test) => {
            const r = await runCase(c, ctx, options, trace);
            // Only a case that called a kernel declared unsupported ends up here excluded.
            if (r.status === 'excluded') test.skip(r.message);
            if (r.status === 'failed') throw new Error(formatCaseLine(r));
          });
        }
        // Each group of excluded cases shows in the run under its reason, and is checked: a
        // dtype said to be missing must really be refused by the backend.
        for (const [reason, { key, count }] of excluded) {
          it(`${count} excluded, never run: ${reason}`, async () => {
            const dtype = /^dtype:(.+)$/.exec(key)?.[1];
            if (dtype) {
              await ENGINE.setBackend(backendName);
              expect(() => tensor([1], [1], dtype as DType)).toThrow(DTypeError);
            } else {
              expect(key.startsWith('kernel:') || key in (options.exclusions ?? {})).toBe(true);
            }
          });
        }
      });
    }
  });
}
