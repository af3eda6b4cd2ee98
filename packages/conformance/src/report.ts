/**
 * The outcome of a conformance run — one record per case and the counts per part — and its
 * two renderings: one text line per case with closing `N passed, M failed` lines, and the
 * machine-readable JSON report a backend's CI keeps.
 */
import { formatError } from '@rnnkit/testing';
import type { Tolerances } from './tolerances.js';

/** The parts of the suite, in the order they run. */
export const PARTS = ['fixtures', 'kernels', 'gradients'] as const;

/** One part of the suite: PyTorch fixtures, kernel cases (with registration), gradient checks. */
export type Part = (typeof PARTS)[number];

/** One compared quantity of a case: a tensor, an output, or a gradient check's worst probe. */
export interface ErrorMeasure {
  /** What was compared (`output`, `grad weight_hh_l0`, `y`, `tape vs finite differences`). */
  name: string;
  /** Its error, `max|a − b| / max(1, max|b|)` (Infinity when not computed or non-finite). */
  error: number;
  /** The tolerance it was held to. */
  tolerance: number;
  /** Whether it was within the tolerance. */
  ok: boolean;
}

/** The outcome of one case. */
export interface CaseResult {
  /** Stable id (`fixture/float32/nn/lstm_l1_uni`, `kernel/Unary/float32/tanh/[17, 3]`, …). */
  id: string;
  /** The part it belongs to. */
  part: Part;
  /** `passed`, `failed`, or `excluded` (never run, or ran on a kernel declared unsupported). */
  status: 'passed' | 'failed' | 'excluded';
  /** For an excluded case: the declaration that excluded it and its reason. */
  exclusion?: { key: string; reason: string };
  /** A one-line summary: the largest errors, or what failed and why. */
  message: string;
  /** Every compared quantity, worst first. Empty when the case threw or was excluded before running. */
  errors: ErrorMeasure[];
  /** The largest error over {@link CaseResult.errors} (Infinity when the case threw). */
  worstError: number;
  /** Trace keys of the backend's kernels the case called (`Unary/tanh`, `MatMul`, …), sorted. */
  kernels: string[];
  /** Wall time in milliseconds. */
  durationMs: number;
}

/** Passed, failed and excluded counts. */
export interface Counts {
  /** Cases that passed. */
  passed: number;
  /** Cases that failed. */
  failed: number;
  /** Cases excluded, with their reasons in the case records. */
  excluded: number;
}

/** A whole run. */
export interface ConformanceReport {
  /** Format tag of this report. */
  format: 'rnnkit-conformance-report@1';
  /** The backend under test. */
  backend: { name: string; description: string; dtypes: string[] };
  /** The backend every kernel case is compared with (`cpu`; cpu itself is compared with the host oracle). */
  reference: string;
  /** The parts that ran. */
  parts: Part[];
  /** Fixture directories the fixture cases came from, in order. */
  fixtureDirs: string[];
  /** `filter` prefixes the run was limited to (empty: every case of the parts). */
  filter: string[];
  /** The tolerances in force (the defaults with the profile's overrides). */
  tolerances: Tolerances;
  /** Every case, in run order. */
  cases: CaseResult[];
  /** Counts per part that ran, and in total. */
  summary: Record<Part, Counts> & { total: Counts };
  /** ISO time the run started. */
  startedAt: string;
  /** Wall time of the run in milliseconds. */
  durationMs: number;
}

/** Counts of `cases`. */
export function countCases(cases: readonly CaseResult[]): Counts {
  const counts: Counts = { passed: 0, failed: 0, excluded: 0 };
  for (const c of cases) counts[c.status]++;
  return counts;
}

/** `N passed, M failed`, with `, K excluded` when any were. */
export function formatCounts(c: Counts, withExcluded = true): string {
  const base = `${c.passed} passed, ${c.failed} failed`;
  return withExcluded && c.excluded > 0 ? `${base}, ${c.excluded} excluded` : base;
}

/** One line per case: `PASS <id>  <errors>`, `FAIL <id>  <why>` or `EXCLUDED <id>  <reason>`. */
export function formatCaseLine(r: CaseResult): string {
  if (r.status === 'excluded') return `EXCLUDED ${r.id}  ${r.exclusion?.reason ?? ''}`;
  return `${r.status === 'passed' ? 'PASS' : 'FAIL'} ${r.id}  ${r.message}`;
}

/** The closing line of one part: `kernels: 612 passed, 0 failed, 300 excluded`. */
export function formatPartLine(part: Part, counts: Counts): string {
  return `${part}: ${formatCounts(counts)}`;
}

/** The largest error of a list of measures, worst first; the measures sorted that way. */
export function sortErrors(errors: ErrorMeasure[]): { errors: ErrorMeasure[]; worst: number } {
  const sorted = [...errors].sort((a, b) => severity(b) - severity(a));
  return { errors: sorted, worst: errors.reduce((m, e) => Math.max(m, e.error), 0) };
}

// Failed measures first, then by how close they came to their tolerance.
function severity(e: ErrorMeasure): number {
  const ratio = e.tolerance > 0 ? e.error / e.tolerance : e.error > 0 ? Infinity : 0;
  return (e.ok ? 0 : 1e300) + (Number.isNaN(ratio) ? Infinity : ratio);
}

/** `max err 1.2e-7 (tol 2.4e-7)` for the worst measure of a passed case. */
export function formatWorst(errors: readonly ErrorMeasure[]): string {
  const worst = errors[0];
  if (!worst) return 'no values compared';
  return `max err ${formatError(worst.error)} (tol ${formatError(worst.tolerance)}, ${worst.name})`;
}

/**
 * The report as JSON text. Non-finite numbers (an error of a case that threw) become `null`,
 * since JSON has no Infinity.
 */
export function reportToJson(report: ConformanceReport): string {
  return `${JSON.stringify(
    report,
    (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value),
    2,
  )}\n`;
}
