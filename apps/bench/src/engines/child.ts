/**
 * Plumbing shared by the engine children: argument parsing, keeping stdout for the one JSON
 * result line, and the warm-up + timed-runs loop.
 */
import { parseArgs } from 'node:util';
import {
  getWorkload,
  gflopsOf,
  type ResultRow,
  stepFlops,
  summarize,
  type Workload,
} from '../workloads.js';

/** Options of one engine child. */
export interface ChildOptions {
  workload: Workload;
  backend: string;
  runs: number;
  warmup: number;
  /** Training steps of a leak soak (rnnkit only); 0 = timing run. */
  soak: number;
}

/** Parses `--workload W2 --backend wasm --runs 10 [--warmup 2] [--soak N]`. */
export function parseChildArgs(argv: readonly string[]): ChildOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      workload: { type: 'string' },
      backend: { type: 'string' },
      runs: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      soak: { type: 'string', default: '0' },
    },
    strict: true,
  });
  if (!values.workload) throw new Error("missing '--workload'");
  if (!values.backend) throw new Error("missing '--backend'");
  const int = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`'--${name}' must be an integer ≥ ${min}, got ${v}`);
    return n;
  };
  return {
    workload: getWorkload(values.workload),
    backend: values.backend,
    runs: int('runs', values.runs, 1),
    warmup: int('warmup', values.warmup, 0),
    soak: int('soak', values.soak, 0),
  };
}

const realStdoutWrite = process.stdout.write.bind(process.stdout);

/**
 * Sends console.log/info/debug/warn to stderr so that stdout carries nothing but the result
 * line (TF.js and backends may print banners). Call before importing any engine code.
 */
export function reserveStdout(): void {
  const toErr = (...args: unknown[]) => console.error(...args);
  console.log = toErr;
  console.info = toErr;
  console.debug = toErr;
  console.warn = toErr;
}

/** Writes the single JSON result line. */
export function emit(value: unknown): void {
  realStdoutWrite(`${JSON.stringify(value)}\n`);
}

/** Progress for humans (the parent shows it with `--verbose`). */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMB(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/**
 * Runs `step` `warmup` times untimed, then `runs` times timed. Each call must finish its work
 * (read a value back) before returning so the timing covers it. Returns the per-run times, the
 * value the first call returned (a cross-backend check figure) and every call's value, warm-up
 * first.
 */
export async function measure(
  step: () => number | Promise<number>,
  warmup: number,
  runs: number,
): Promise<{ times: number[]; check: number; cpuShare: number; values: number[] }> {
  let check = Number.NaN;
  const values: number[] = [];
  for (let i = 0; i < warmup; i++) {
    const t0 = performance.now();
    const v = await step();
    values.push(v);
    if (i === 0) check = v;
    progress(`warm-up ${i + 1}/${warmup}: ${(performance.now() - t0).toFixed(1)} ms`);
  }
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const v = await step();
    times.push(performance.now() - t0);
    values.push(v);
    if (warmup === 0 && i === 0) check = v;
    progress(`run ${i + 1}/${runs}: ${times[i].toFixed(1)} ms`);
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuShare = (cpu.user + cpu.system) / 1000 / Math.max(performance.now() - wall0, 1e-3);
  return { times, check, cpuShare: Math.round(cpuShare * 100) / 100, values };
}

/** Builds a result row from timings. */
export function resultRow(
  engine: ResultRow['engine'],
  opts: ChildOptions,
  times: number[],
  extra: Pick<ResultRow, 'device' | 'check' | 'notes' | 'cpuShare' | 'trajectory'>,
): ResultRow {
  const s = summarize(times);
  return {
    workload: opts.workload.id,
    engine,
    backend: opts.backend,
    ...s,
    gflops: gflopsOf(stepFlops(opts.workload), s.medianMs),
    peakRssMB: peakRssMB(),
    ...extra,
  };
}

/** A row saying why an engine/backend could not run. */
export function errorRow(
  engine: ResultRow['engine'],
  workload: string,
  backend: string,
  error: string,
): ResultRow {
  return {
    workload: workload as ResultRow['workload'],
    engine,
    backend,
    medianMs: 0,
    minMs: 0,
    maxMs: 0,
    runs: 0,
    gflops: 0,
    peakRssMB: peakRssMB(),
    error,
  };
}

/** A short, single-line description of an error. */
export function describeError(e: unknown): string {
  const msg =
    e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  return msg.split('\n')[0].slice(0, 300);
}

/**
 * True when `e` says that package `spec` itself is missing: not linked, or linked without its
 * entry file yet (a package being written), as opposed to a failure inside it.
 */
export function isMissingModule(e: unknown, spec: string): boolean {
  const err = e as { code?: string; message?: string };
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' && err?.code !== 'MODULE_NOT_FOUND') return false;
  if (typeof err.message !== 'string') return false;
  const missing = /Cannot find (?:module|package) '([^']+)'/.exec(err.message)?.[1] ?? '';
  return missing === spec || missing.includes(`/node_modules/${spec}/`);
}
