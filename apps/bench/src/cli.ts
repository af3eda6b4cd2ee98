/**
 * `pnpm bench`: runs every workload on every rnnkit backend, on TensorFlow.js 4.22 (cpu and
 * wasm) and, where installed, on ONNX Runtime (W1) and PyTorch, one child process per
 * workload × engine × backend, then prints one table and writes `results/latest.{json,md,svg}`.
 *
 * ```text
 * pnpm bench [--workloads W1,W2] [--engines rnnkit,tfjs] [--backends cpu,wasm,tfjs:wasm]
 *            [--runs 10] [--warmup 2] [--soak N] [--fresh] [--timeout-min 20] [--verbose]
 * ```
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { engineSupports, OPTIONAL_ENGINES, probeEngine } from './engines/availability.js';
import { gitCommit, tableCommit } from './provenance.js';
import {
  bestMatmul,
  buildTable,
  checkpointLines,
  fmtNum,
  formatSoak,
  formatTable,
  type MachineInfo,
  rowKey,
  type SoakRow,
  sortRows,
  toMarkdown,
  toSvg,
} from './report.js';
import {
  DEFAULT_WORKLOADS,
  type EngineName,
  getWorkload,
  type ResultRow,
  stepFlops,
  type Workload,
  type WorkloadId,
} from './workloads.js';

/** The app's directory (`apps/bench`). */
export const BENCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** An engine and one of its backends: one child process per workload. */
export interface Target {
  engine: EngineName;
  backend: string;
}

/** Every target, in run order. */
export const ALL_TARGETS: readonly Target[] = [
  { engine: 'rnnkit', backend: 'cpu' },
  { engine: 'rnnkit', backend: 'wasm' },
  { engine: 'rnnkit', backend: 'gpujs' },
  { engine: 'tfjs', backend: 'cpu' },
  { engine: 'tfjs', backend: 'wasm' },
  { engine: 'onnxruntime', backend: 'cpu' },
  { engine: 'pytorch', backend: 'cpu' },
  { engine: 'pytorch', backend: 'cpu-1t' },
];

/** Every engine name. */
export const ENGINES: readonly EngineName[] = ['rnnkit', 'tfjs', 'onnxruntime', 'pytorch'];

/** Parsed command line. */
export interface CliOptions {
  workloads: WorkloadId[];
  targets: Target[];
  runs: number;
  warmup: number;
  /** Leak-soak steps (0 = timing run). */
  soak: number;
  outDir: string;
  timeoutMs: number;
  verbose: boolean;
  /** Do not merge with the previous `latest.json`. */
  fresh: boolean;
  /** Only re-render the table, Markdown and SVG from `latest.json`. */
  reportOnly: boolean;
  help: boolean;
}

/**
 * Default per-child limit of a soak, in minutes: 10,000 W2 steps take about 36 minutes on the
 * cpu backend and 4½ hours on gpujs under a software rasteriser.
 */
export const SOAK_TIMEOUT_MIN = '360';

/** Usage text. */
export const USAGE = `Usage: pnpm bench [options]

  --workloads W1,W2   workloads to run (default: all of MM512,W1-W6,L1,L1C; with --soak: W2)
                      MM512 = matMul 512³ throughput probe; W1 LSTM inference; W2 LSTM, W3 GRU,
                      W4 SimpleRNN training; W5 char-LM; W6 2-layer BiLSTM; L1 / L1C LSTM
                      training at T 4000, H 512 with plain / checkpointed BPTT (rnnkit wasm,
                      1 warm-up + 2 timed runs each, whatever --runs says)
  --engines E,...     rnnkit, tfjs, onnxruntime, pytorch (default all; onnxruntime runs W1,
                      pytorch W1-W6 on every core (cpu) and one thread (cpu-1t); each is
                      skipped with the reason when not installed)
  --backends B,...    cpu, wasm, gpujs, or engine-qualified (rnnkit:wasm, tfjs:cpu) (default all)
  --runs N            timed runs per job, median reported (default 10; use >= 10 for figures)
  --warmup N          untimed warm-up steps per job (default 2)
  --soak N            instead of timing: N training steps per rnnkit backend, live tensors and
                      RSS sampled every 1000 steps (a tenth of a shorter soak), failing on
                      growth (see src/soak.ts); pnpm bench:soak runs 10000
  --fresh             do not merge with rows of the previous results/latest.json
  --report-only       run nothing: re-render the table, latest.md and latest.svg from latest.json
  --out DIR           results directory (default apps/bench/results)
  --timeout-min M     per-child time limit in minutes (default 30; with --soak 360)
  --verbose           show the children's per-run progress
  --help              this text`;

function splitList(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const items = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

function positiveInt(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`'--${name}' must be an integer ≥ ${min}, got '${v}'`);
  return n;
}

/** Parses the CLI arguments (throws an Error with a readable message on bad input). */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      workloads: { type: 'string' },
      engines: { type: 'string' },
      backends: { type: 'string' },
      runs: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      soak: { type: 'string', default: '0' },
      out: { type: 'string' },
      'timeout-min': { type: 'string' },
      fresh: { type: 'boolean', default: false },
      'report-only': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const soak = positiveInt('soak', values.soak, 0);
  const wl = splitList(values.workloads);
  const workloads = wl
    ? [...new Set(wl.map((w) => getWorkload(w).id))]
    : soak > 0
      ? (['W2'] as WorkloadId[])
      : [...DEFAULT_WORKLOADS];
  if (soak > 0) {
    const notTraining = workloads.filter((w) => !getWorkload(w).training);
    if (notTraining.length)
      throw new Error(`--soak runs training workloads; ${notTraining.join(', ')} is not one`);
  }

  const engines = splitList(values.engines) ?? [...ENGINES];
  for (const e of engines)
    if (!ENGINES.includes(e as EngineName))
      throw new Error(`unknown engine '${e}' (expected one of ${ENGINES.join(', ')})`);
  const backendSpecs = splitList(values.backends);
  const targets = ALL_TARGETS.filter((t) => {
    if (!engines.includes(t.engine)) return false;
    if (soak > 0 && t.engine !== 'rnnkit') return false;
    if (!backendSpecs) return true;
    return backendSpecs.some(
      (s) =>
        s === t.backend || s === `${t.engine}:${t.backend}` || s === `${t.engine}-${t.backend}`,
    );
  });
  if (backendSpecs) {
    for (const s of backendSpecs) {
      if (
        !ALL_TARGETS.some(
          (t) =>
            s === t.backend || s === `${t.engine}:${t.backend}` || s === `${t.engine}-${t.backend}`,
        )
      ) {
        throw new Error(
          `unknown backend '${s}' (expected ${ALL_TARGETS.map((t) => `${t.engine}:${t.backend}`).join(', ')} or a bare backend name)`,
        );
      }
    }
  }
  if (targets.length === 0 && !values.help)
    throw new Error('the --engines/--backends filters leave nothing to run');

  return {
    workloads,
    targets,
    runs: positiveInt('runs', values.runs, 1),
    warmup: positiveInt('warmup', values.warmup, 0),
    soak,
    outDir: values.out ? path.resolve(values.out) : path.join(BENCH_DIR, 'results'),
    timeoutMs:
      positiveInt('timeout-min', values['timeout-min'] ?? (soak > 0 ? SOAK_TIMEOUT_MIN : '30'), 1) *
      60_000,
    verbose: values.verbose,
    fresh: values.fresh,
    reportOnly: values['report-only'],
    help: values.help,
  };
}

/** `m:ss` or `h:mm:ss`. */
export function fmtDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** One planned child run. */
export interface Job {
  workload: WorkloadId;
  target: Target;
  /** Work estimate for the ETA: FLOPs × steps. */
  weight: number;
}

/** The jobs of a run: workloads outermost so a narrowed or interrupted run still compares. */
export function planJobs(
  opts: Pick<CliOptions, 'workloads' | 'targets' | 'runs' | 'warmup' | 'soak'>,
): Job[] {
  return opts.workloads.flatMap((id) => {
    const w = getWorkload(id);
    const { runs, warmup } = runsOf(w, opts);
    const steps = opts.soak > 0 ? opts.soak + Math.max(1, warmup) : runs + warmup;
    return opts.targets
      .filter((target) => engineSupports(target.engine, w, target.backend))
      .map((target) => ({ workload: id, target, weight: stepFlops(w) * steps }));
  });
}

/** The timed runs and warm-up steps of a workload's jobs: its own when fixed, else the CLI's. */
export function runsOf(
  w: Workload,
  opts: Pick<CliOptions, 'runs' | 'warmup' | 'soak'>,
): { runs: number; warmup: number } {
  return opts.soak === 0 && w.fixedRuns ? w.fixedRuns : { runs: opts.runs, warmup: opts.warmup };
}

/** Why some of the chosen targets skip some of the chosen workloads (restricted workloads). */
export function restrictionNotes(opts: Pick<CliOptions, 'workloads' | 'targets'>): string[] {
  return opts.workloads.flatMap((id) => {
    const w = getWorkload(id);
    if (!w.only || opts.targets.every((t) => engineSupports(t.engine, w, t.backend))) return [];
    const on = w.only.backends.map((b) => `${w.only?.engine}/${b}`).join(', ');
    return [`${id} runs on ${on} only: ${w.only.reason}`];
  });
}

/**
 * Remaining-time estimate: each target's measured rate (work per wall ms over its finished jobs,
 * or the mean rate of the others before it has one) applied to the jobs still to run.
 */
export function estimateRemainingMs(
  done: readonly { job: Job; wallMs: number }[],
  remaining: readonly Job[],
): number | undefined {
  if (done.length === 0) return undefined;
  const rates = new Map<string, { work: number; ms: number }>();
  for (const d of done) {
    const k = `${d.job.target.engine}/${d.job.target.backend}`;
    const r = rates.get(k) ?? { work: 0, ms: 0 };
    r.work += d.job.weight;
    r.ms += d.wallMs;
    rates.set(k, r);
  }
  const perMs = [...rates.values()].map((r) => r.work / Math.max(r.ms, 1));
  const meanRate = perMs.reduce((a, b) => a + b, 0) / perMs.length;
  const overhead = done.reduce((a, d) => a + Math.min(d.wallMs, 2000), 0) / done.length;
  let total = 0;
  for (const j of remaining) {
    const r = rates.get(`${j.target.engine}/${j.target.backend}`);
    const rate = r ? r.work / Math.max(r.ms, 1) : meanRate;
    total += Math.max(j.weight / Math.max(rate, 1e-9), overhead);
  }
  return total;
}

function hasXvfb(): boolean {
  return spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0;
}

/** The command that runs one job's child (gpujs under `xvfb-run -a` when there is no display). */
export function childCommand(
  job: Job,
  opts: Pick<CliOptions, 'runs' | 'warmup' | 'soak'>,
  xvfb: boolean,
): { cmd: string; args: string[] } {
  const script = path.join(BENCH_DIR, 'src', 'engines', `${job.target.engine}.ts`);
  const { runs, warmup } = runsOf(getWorkload(job.workload), opts);
  const args = [
    // A soak samples memory after a full collection (see `sample` in engines/rnnkit.ts).
    ...(opts.soak > 0 ? ['--expose-gc'] : []),
    '--conditions=source',
    '--import',
    'tsx',
    script,
    '--workload',
    job.workload,
    '--backend',
    job.target.backend,
    '--runs',
    String(runs),
    '--warmup',
    String(warmup),
  ];
  if (opts.soak > 0) args.push('--soak', String(opts.soak));
  if (job.target.backend === 'gpujs' && xvfb)
    return {
      cmd: 'xvfb-run',
      args: ['-a', '-s', '-screen 0 1280x1024x24', process.execPath, ...args],
    };
  return { cmd: process.execPath, args };
}

/** The last JSON object line of a child's stdout. */
export function parseChildOutput(stdout: string): unknown {
  const lines = stdout.split('\n').map((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i].startsWith('{')) {
      try {
        return JSON.parse(lines[i]);
      } catch {
        // keep looking
      }
    }
  }
  return undefined;
}

let current: ChildProcess | undefined;

async function runChild(
  job: Job,
  opts: CliOptions,
  xvfb: boolean,
): Promise<{ result: unknown; error?: string }> {
  const { cmd, args } = childCommand(job, opts, xvfb);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: BENCH_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    current = child;
    let stdout = '';
    const errTail: string[] = [];
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) {
        if (opts.verbose || /^soak \d/.test(l)) process.stderr.write(`    ${l}\n`);
        errTail.push(l);
        if (errTail.length > 30) errTail.shift();
      }
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      current = undefined;
      resolve({ result: undefined, error: `could not start ${cmd}: ${e.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      if (partial) errTail.push(partial);
      const result = parseChildOutput(stdout);
      if (result) return resolve({ result });
      const why = timedOut
        ? `timed out after ${fmtDuration(opts.timeoutMs)}`
        : `child exited with ${signal ? `signal ${signal}` : `code ${code}`}`;
      const last = errTail
        .filter((l) => l.trim() && !/^\s+at /.test(l))
        .slice(-3)
        .join(' | ');
      resolve({ result: undefined, error: `${why}${last ? `: ${last.slice(0, 300)}` : ''}` });
    });
  });
}

function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    node: process.versions.node,
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    platform: `${os.platform()} ${os.arch()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

/** A path for messages: relative to the working directory when inside it. */
function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function readPrevious(file: string): ResultRow[] {
  if (!existsSync(file)) return [];
  try {
    const rows = JSON.parse(readFileSync(file, 'utf8')) as ResultRow[];
    return Array.isArray(rows)
      ? rows.filter((r) => r && typeof r.workload === 'string' && typeof r.engine === 'string')
      : [];
  } catch {
    return [];
  }
}

/** Merges this run's rows over the previous ones (same workload/engine/backend replaced). */
export function mergeRows(
  previous: readonly ResultRow[],
  fresh: readonly ResultRow[],
): { rows: ResultRow[]; stale: Set<string> } {
  const byKey = new Map<string, ResultRow>();
  const stale = new Set<string>();
  for (const r of previous) {
    byKey.set(rowKey(r), r);
    stale.add(rowKey(r));
  }
  for (const r of fresh) {
    byKey.set(rowKey(r), r);
    stale.delete(rowKey(r));
  }
  return { rows: sortRows([...byKey.values()]), stale };
}

function failureRow(job: Job, error: string): ResultRow {
  return {
    workload: job.workload,
    engine: job.target.engine,
    backend: job.target.backend,
    medianMs: 0,
    minMs: 0,
    maxMs: 0,
    runs: 0,
    gflops: 0,
    peakRssMB: 0,
    error,
  };
}

/** Prints the table and writes `latest.md` and `latest.svg` (beside `latest.json`). */
function render(
  merged: ResultRow[],
  stale: Set<string>,
  outDir: string,
  machine: MachineInfo,
): void {
  const table = buildTable(merged, { stale, commit: machine.commit });
  const best = bestMatmul(merged);
  process.stdout.write(`\n${formatTable(table)}\n\n`);
  for (const line of checkpointLines(table)) process.stdout.write(`checkpointed BPTT: ${line}\n`);
  const mm = merged.filter((r) => r.workload === 'MM512' && !r.error);
  if (mm.length) {
    process.stdout.write(
      `matMul 512³: ${mm.map((r) => `${r.engine}/${r.backend} ${fmtNum(r.gflops)} GFLOP/s`).join(', ')}\n`,
    );
    if (best) {
      process.stdout.write(
        `best measured matrix-product throughput: ${fmtNum(best.gflops)} GFLOP/s (${best.engine}/${best.backend}); '% best matmul' is relative to it\n`,
      );
    }
  }
  process.stdout.write(
    '× tfjs-X = TF.js ms ÷ row ms (> 1 = faster than TensorFlow.js on backend X). Quote ratios, not times.\n',
  );
  writeAtomic(path.join(outDir, 'latest.md'), toMarkdown(table, machine, best));
  writeAtomic(path.join(outDir, 'latest.svg'), toSvg(table));
  process.stderr.write(
    `wrote ${['latest.md', 'latest.svg'].map((f) => shown(path.join(outDir, f))).join(', ')}\n`,
  );
}

async function main(argv: string[]): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseCliArgs(argv);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const machine = machineInfo();
  if (opts.reportOnly) {
    const rows = readPrevious(path.join(opts.outDir, 'latest.json'));
    if (rows.length === 0) {
      process.stderr.write(`bench: no rows in ${shown(path.join(opts.outDir, 'latest.json'))}\n`);
      return 1;
    }
    const dates = rows
      .map((r) => r.date)
      .filter((d): d is string => !!d)
      .sort();
    render(rows, new Set(), opts.outDir, {
      ...machine,
      date: dates.at(-1) ?? machine.date,
      commit: tableCommit(rows),
    });
    return 0;
  }
  const log = (s: string) => process.stderr.write(`${s}\n`);
  for (const engine of OPTIONAL_ENGINES) {
    if (!opts.targets.some((t) => t.engine === engine)) continue;
    const missing = probeEngine(engine);
    if (missing) {
      log(`skipping ${engine}: ${missing}`);
      opts.targets = opts.targets.filter((t) => t.engine !== engine);
    }
  }
  const xvfb = !process.env.DISPLAY && opts.targets.some((t) => t.backend === 'gpujs') && hasXvfb();
  const jobs = planJobs(opts);
  if (opts.soak === 0) for (const note of restrictionNotes(opts)) log(note);
  const commit = gitCommit(BENCH_DIR);
  log(`rnnkit bench · commit ${commit} · Node ${machine.node} · ${machine.cpu} × ${machine.cores}`);
  log(
    opts.soak > 0
      ? `soak: ${opts.soak} training steps per job, ${jobs.length} job(s)`
      : `${jobs.length} job(s): ${opts.workloads.join(',')} × ${opts.targets.map((t) => `${t.engine}/${t.backend}`).join(',')}; ${opts.warmup} warm-up + ${opts.runs} timed runs each`,
  );
  if (opts.soak === 0 && opts.runs < 10)
    log(`note: --runs ${opts.runs} is a quick check; figures to quote use at least 10 runs`);

  const onSignal = () => {
    if (current?.pid) {
      try {
        process.kill(-current.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const t0 = performance.now();
  const done: { job: Job; wallMs: number }[] = [];
  const rows: ResultRow[] = [];
  const soakRows: SoakRow[] = [];
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i];
    const eta = estimateRemainingMs(done, jobs.slice(i));
    const name = `${job.workload} ${job.target.engine}/${job.target.backend}`;
    log(
      `[${String(i + 1).padStart(String(jobs.length).length)}/${jobs.length}] ${name.padEnd(22)} elapsed ${fmtDuration(performance.now() - t0)}  ETA ${eta === undefined ? '?' : fmtDuration(eta)}`,
    );
    const start = performance.now();
    const { result, error } = await runChild(job, opts, xvfb);
    const wallMs = performance.now() - start;
    done.push({ job, wallMs });
    if (opts.soak > 0) {
      const s = (result as (SoakRow & { soak?: boolean }) | undefined) ?? {
        workload: job.workload,
        backend: job.target.backend,
        steps: 0,
        samples: [],
        ms: 0,
        peakRssMB: 0,
        ok: false,
        reasons: [],
        error: error ?? 'no result',
      };
      soakRows.push({ ...s, commit, date: machine.date });
      log(
        `      ${s.error ? `not run: ${s.error}` : `${s.steps} steps: ${s.ok ? 'ok, no growth' : `GROWTH: ${s.reasons.join('; ')}`}`}`,
      );
      continue;
    }
    const row = (result as ResultRow | undefined) ?? failureRow(job, error ?? 'no result');
    rows.push(row);
    log(
      `      ${row.error ? `not run: ${row.error}` : `${fmtNum(row.medianMs)} ms/step median of ${row.runs}, ${fmtNum(row.gflops)} GFLOP/s, peak RSS ${fmtNum(row.peakRssMB)} MB, cpu ${fmtNum(row.cpuShare)} core (${fmtDuration(wallMs)})`}`,
    );
  }
  log(`done in ${fmtDuration(performance.now() - t0)}`);

  mkdirSync(opts.outDir, { recursive: true });
  if (opts.soak > 0) {
    process.stdout.write(`\n${formatSoak(soakRows)}\n`);
    writeAtomic(path.join(opts.outDir, 'soak.json'), `${JSON.stringify(soakRows, null, 2)}\n`);
    log(`wrote ${shown(path.join(opts.outDir, 'soak.json'))}`);
    return soakRows.some((r) => !r.error && !r.ok) ? 1 : 0;
  }

  const jsonFile = path.join(opts.outDir, 'latest.json');
  const stamped = rows.map((r) => ({ ...r, date: machine.date, commit }));
  const { rows: merged, stale } = opts.fresh
    ? { rows: sortRows(stamped), stale: new Set<string>() }
    : mergeRows(readPrevious(jsonFile), stamped);
  writeAtomic(jsonFile, `${JSON.stringify(merged, null, 2)}\n`);
  process.stderr.write(`wrote ${shown(jsonFile)}\n`);
  render(merged, stale, opts.outDir, { ...machine, commit });
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
