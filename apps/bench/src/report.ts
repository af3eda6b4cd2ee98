/**
 * Turning result rows into the console table, the Markdown table and the SVG bar chart of
 * ratios. Everything here is pure (strings in, strings out) so it is unit-tested.
 */
import { formatParity, PARITY_RTOL, PARITY_STEPS, type Parity, parityOf } from './parity.js';
import { onCommit, tableCommit } from './provenance.js';
import type { SoakSample } from './soak.js';
import {
  type EngineName,
  getWorkload,
  type ResultRow,
  sequencesPerStep,
  WORKLOADS,
  type WorkloadId,
} from './workloads.js';

/** TF.js backends the ratios are taken against, in column order. */
export const REFERENCE_BACKENDS = ['cpu', 'wasm'] as const;

/**
 * Below this CPU-time / wall-time share during the timed runs, a (single-threaded) job was
 * starved by other load on the machine.
 */
export const CONTENDED_CPU_SHARE = 0.75;

/** Facts about the machine printed above the tables. */
export interface MachineInfo {
  node: string;
  cpu: string;
  cores: number;
  platform: string;
  date: string;
  /** The commit the table is about (see `provenance.ts`). */
  commit?: string;
}

/** A result row as displayed. */
export interface TableRow {
  workload: WorkloadId;
  engine: ResultRow['engine'];
  backend: string;
  /** Median ms per step (undefined on error). */
  ms?: number;
  minMs?: number;
  maxMs?: number;
  runs: number;
  seqPerS?: number;
  gflops?: number;
  /** GFLOP/s as a fraction of the best measured matmul throughput. */
  ofBestMatmul?: number;
  /** Speed-up over each TF.js backend: `tfjsMs / ms` (> 1 = faster than TF.js). */
  ratios: Partial<Record<(typeof REFERENCE_BACKENDS)[number], number>>;
  peakRssMB: number;
  notes: string[];
  error?: string;
  /** The same-function check against another engine (see `parity.ts`). */
  parity?: Parity;
  /** Commit and date the row was measured on. */
  commit?: string;
  date?: string;
}

/** The best matmul throughput among the `MM512` rows, with who achieved it. */
export function bestMatmul(
  rows: readonly ResultRow[],
): { gflops: number; engine: string; backend: string } | undefined {
  let best: ResultRow | undefined;
  for (const r of rows) {
    if (r.workload === 'MM512' && !r.error && r.gflops > 0 && (!best || r.gflops > best.gflops))
      best = r;
  }
  return best && { gflops: best.gflops, engine: best.engine, backend: best.backend };
}

/** True when a gpujs row runs on a software rasteriser (or we cannot tell). */
export function isSoftwareGl(r: Pick<ResultRow, 'backend' | 'device'>): boolean {
  if (r.backend !== 'gpujs') return false;
  if (
    !r.device ||
    /llvmpipe|softpipe|swiftshader|software|swrast|fallback|not a GPU/i.test(r.device)
  )
    return true;
  return !/nvidia|geforce|quadro|tesla|amd|radeon|intel|apple|mali|adreno/i.test(r.device);
}

/** Engines in table order. */
const ENGINE_ORDER: readonly EngineName[] = ['rnnkit', 'tfjs', 'onnxruntime', 'pytorch'];

/** Orders rows: workloads in definition order, engines as {@link ENGINE_ORDER}, backends cpu, wasm, gpujs. */
export function sortRows<T extends Pick<ResultRow, 'workload' | 'engine' | 'backend'>>(
  rows: readonly T[],
): T[] {
  const wi = (id: string) => WORKLOADS.findIndex((w) => w.id === id);
  const bi = (b: string) => {
    const i = ['cpu', 'wasm', 'gpujs'].indexOf(b);
    return i < 0 ? 99 : i;
  };
  const ei = (e: string) => ENGINE_ORDER.indexOf(e as EngineName);
  return [...rows].sort(
    (a, b) =>
      wi(a.workload) - wi(b.workload) ||
      ei(a.engine) - ei(b.engine) ||
      bi(a.backend) - bi(b.backend),
  );
}

/**
 * Computes the displayed figures: throughput, ratios to each TF.js backend, the same-function
 * check, notes. Only rows of the table's commit (`options.commit`, else the newest row's)
 * enter ratios and checks; the others are shown, marked, with no ratio.
 */
export function buildTable(
  rows: readonly ResultRow[],
  options: { stale?: ReadonlySet<string>; commit?: string } = {},
): TableRow[] {
  const commit = options.commit ?? tableCommit(rows);
  const current = rows.filter((r) => onCommit(r, commit));
  const best = bestMatmul(current);
  const find = (w: string, engine: string, backend: string) =>
    current.find(
      (r) =>
        r.workload === w &&
        r.engine === engine &&
        r.backend === backend &&
        !r.error &&
        r.medianMs > 0,
    );
  return sortRows(rows).map((r) => {
    const w = getWorkload(r.workload);
    const notes: string[] = [];
    if (w.note && r.engine === 'tfjs') notes.push(w.note);
    if (!r.error && isSoftwareGl(r))
      notes.push(
        'software GL (no hardware GPU renderer, e.g. llvmpipe): a correctness check, not a speed figure',
      );
    if (options.stale?.has(rowKey(r))) notes.push('from an earlier run');
    if (!r.error && r.cpuShare !== undefined && r.cpuShare < CONTENDED_CPU_SHARE) {
      notes.push(
        `process got ${Math.round(r.cpuShare * 100)}% of a core (machine busy): unreliable`,
      );
    }
    const out: TableRow = {
      workload: r.workload,
      engine: r.engine,
      backend: r.backend,
      runs: r.runs,
      ratios: {},
      peakRssMB: r.peakRssMB,
      notes,
      commit: r.commit,
      date: r.date,
    };
    const sameCommit = onCommit(r, commit);
    if (!sameCommit)
      notes.push(
        `measured on commit ${r.commit ?? 'unrecorded'}, not ${commit ?? 'unrecorded'}: no ratios or check (rerun it)`,
      );
    else if (r.commit?.endsWith('+dirty')) notes.push('measured on uncommitted changes');
    if (r.error) {
      out.error = r.error;
      return out;
    }
    out.ms = r.medianMs;
    out.minMs = r.minMs;
    out.maxMs = r.maxMs;
    const seqs = sequencesPerStep(w);
    if (seqs > 0) out.seqPerS = (seqs * 1000) / r.medianMs;
    out.gflops = r.gflops;
    if (!sameCommit) return out;
    if (best) out.ofBestMatmul = r.gflops / best.gflops;
    for (const b of REFERENCE_BACKENDS) {
      if (r.engine === 'tfjs' && r.backend === b) continue;
      const ref = find(r.workload, 'tfjs', b);
      if (ref) out.ratios[b] = ref.medianMs / r.medianMs;
    }
    out.parity = parityOf(r, current);
    return out;
  });
}

/**
 * Time and peak-memory ratios of each checkpointed row to its plain twin
 * (`Workload.sameFunctionAs`) of the same engine, backend and commit, as sentences:
 * `L1C vs L1 (rnnkit/wasm): time 1.31×, peak RSS 0.22× of plain BPTT`.
 */
export function checkpointLines(rows: readonly TableRow[]): string[] {
  return rows.flatMap((r) => {
    const w = getWorkload(r.workload);
    if (!w.checkpoint || !w.sameFunctionAs || r.ms === undefined) return [];
    const plain = rows.find(
      (p) =>
        p.workload === w.sameFunctionAs &&
        p.engine === r.engine &&
        p.backend === r.backend &&
        p.commit === r.commit &&
        p.ms !== undefined,
    );
    if (!plain?.ms) return [];
    return [
      `${r.workload} vs ${plain.workload} (${r.engine}/${r.backend}): time ${fmtRatio(r.ms / plain.ms)}, peak RSS ${fmtRatio(r.peakRssMB / plain.peakRssMB)} of plain BPTT`,
    ];
  });
}

/** Key of a row: `W2/rnnkit/wasm`. */
export function rowKey(r: Pick<ResultRow, 'workload' | 'engine' | 'backend'>): string {
  return `${r.workload}/${r.engine}/${r.backend}`;
}

/** Rounds for display: 3 significant digits, at most 1 decimal above 100. */
export function fmtNum(v: number | undefined, digits = 3): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1000) return Math.round(v).toString();
  if (abs >= 100) return v.toFixed(1);
  return v.toPrecision(digits);
}

/** A ratio for display: `1.23×`. */
export function fmtRatio(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '—' : `${v >= 10 ? v.toFixed(1) : v.toFixed(2)}×`;
}

/** A fraction as a percentage. */
export function fmtPct(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '—' : `${Math.round(v * 100)}%`;
}

/** Column headers of both tables. */
export const HEADERS = [
  'workload',
  'engine',
  'backend',
  'ms/step',
  'min–max ms',
  'seq/s',
  'GFLOP/s',
  '% best matmul',
  '× tfjs-cpu',
  '× tfjs-wasm',
  'peak RSS MB',
  'same function',
  'commit',
  'date',
  'notes',
] as const;

/** The cells of one row, as strings, in {@link HEADERS} order. */
export function rowCells(r: TableRow): string[] {
  if (r.error) {
    return [
      r.workload,
      r.engine,
      r.backend,
      '—',
      '—',
      '—',
      '—',
      '—',
      '—',
      '—',
      fmtNum(r.peakRssMB),
      '—',
      r.commit ?? '—',
      fmtDate(r.date),
      [`not run: ${r.error}`, ...r.notes].join('; '),
    ];
  }
  return [
    r.workload,
    r.engine,
    r.backend,
    fmtNum(r.ms),
    `${fmtNum(r.minMs)}–${fmtNum(r.maxMs)}`,
    fmtNum(r.seqPerS),
    fmtNum(r.gflops),
    fmtPct(r.ofBestMatmul),
    fmtRatio(r.ratios.cpu),
    fmtRatio(r.ratios.wasm),
    fmtNum(r.peakRssMB),
    formatParity(r.parity),
    r.commit ?? '—',
    fmtDate(r.date),
    r.notes.join('; '),
  ];
}

/** An ISO date as `YYYY-MM-DD HH:MM` (UTC), or `—`. */
export function fmtDate(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').slice(0, 16) : '—';
}

const NUMERIC = new Set([3, 4, 5, 6, 7, 8, 9, 10]);

/** A plain-text, column-aligned table (numbers right-aligned). */
export function formatTable(rows: readonly TableRow[]): string {
  const cells = [HEADERS.map(String), ...rows.map(rowCells)];
  const widths = HEADERS.map((_, c) => Math.max(...cells.map((r) => [...r[c]].length)));
  const line = (r: string[]) =>
    r
      .map((v, c) => {
        const pad = ' '.repeat(widths[c] - [...v].length);
        return c === r.length - 1 ? v : NUMERIC.has(c) ? pad + v : v + pad;
      })
      .join('  ')
      .trimEnd();
  const sep = widths
    .map((w, c) => (c === widths.length - 1 ? '-'.repeat(Math.min(w, 20)) : '-'.repeat(w)))
    .join('  ');
  return [line(cells[0]), sep, ...cells.slice(1).map(line)].join('\n');
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** The Markdown report: machine, method, the table, the best matmul figure. */
export function toMarkdown(
  rows: readonly TableRow[],
  machine: MachineInfo,
  best: ReturnType<typeof bestMatmul>,
): string {
  const head = `| ${HEADERS.join(' | ')} |`;
  const align = `| ${HEADERS.map((_, c) => (NUMERIC.has(c) ? '---:' : '---')).join(' | ')} |`;
  const body = rows.map((r) => `| ${rowCells(r).map(mdEscape).join(' | ')} |`);
  const workloads = WORKLOADS.filter((w) => rows.some((r) => r.workload === w.id)).map(
    (w) => `- **${w.id}**: ${w.title}${w.note ? ` (${w.note})` : ''}`,
  );
  return [
    '# rnnkit benchmark',
    '',
    `${machine.date} · commit ${machine.commit ?? 'unrecorded'} · Node ${machine.node} · ${machine.cpu} × ${machine.cores} · ${machine.platform}`,
    '',
    'Median of the timed runs after warm-up; each engine/backend runs in its own Node child process.',
    '`× tfjs-X` is the speed-up over TensorFlow.js 4.22 on backend X (TF.js ms ÷ this row’s ms; > 1 is faster).',
    'Quote the ratios, not the absolute times. GFLOP/s use the analytic counts of `src/workloads.ts`',
    '(forward 2·B·T·G·H·(I+H) per layer and direction plus the Dense head; training ≈ 3 × forward).',
    `\`same function\`: every engine starts from the same weights and data; the losses of ${PARITY_STEPS} Adam steps and after them`,
    `(one forward loss for inference) are compared with another engine's, ✓ when within ${PARITY_RTOL} relative (see \`src/parity.ts\`).`,
    'Rows measured on another commit than the table’s are marked and enter no ratio or check.',
    '',
    best
      ? `**Best measured matrix-product throughput:** ${fmtNum(best.gflops)} GFLOP/s (${best.engine}/${best.backend}, matMul 512³); \`% best matmul\` is relative to it.`
      : '**Best measured matrix-product throughput:** not measured in this run (include workload MM512).',
    '',
    head,
    align,
    ...body,
    '',
    ...checkpointLines(rows).flatMap((l) => [`**Checkpointed BPTT:** ${l}.`, '']),
    '## Workloads',
    '',
    ...workloads,
    '',
  ].join('\n');
}

function xmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * A hand-written SVG of the ratios: one horizontal bar per (row, TF.js backend) pair on a log₂
 * axis centred on 1× (right and green = faster than TF.js, left and red = slower).
 */
export function toSvg(
  rows: readonly TableRow[],
  title = 'rnnkit vs TensorFlow.js 4.22 (speed-up, log scale)',
): string {
  const bars: { label: string; ratio: number; group: string }[] = [];
  // rnnkit's rows when there are any; TF.js cpu vs wasm only in a TF.js-only run.
  const engine = rows.some((r) => r.engine === 'rnnkit' && !r.error) ? 'rnnkit' : 'tfjs';
  for (const r of rows) {
    if (r.error || r.workload === 'MM512' || r.engine !== engine) continue;
    for (const b of REFERENCE_BACKENDS) {
      const ratio = r.ratios[b];
      if (ratio === undefined || !(ratio > 0)) continue;
      bars.push({ label: `${r.engine}/${r.backend} vs tfjs-${b}`, ratio, group: r.workload });
    }
  }
  const labelW = 230;
  const plotW = 520;
  const barH = 16;
  const gap = 4;
  const groupGap = 14;
  const top = 48;
  const maxAbsLog = Math.max(2, ...bars.map((b) => Math.ceil(Math.abs(Math.log2(b.ratio)))));
  const x0 = labelW + plotW / 2;
  const scale = plotW / 2 / maxAbsLog;
  const parts: string[] = [];
  let y = top;
  let prevGroup = '';
  for (const b of bars) {
    if (b.group !== prevGroup) {
      if (prevGroup) y += groupGap;
      parts.push(`<text x="8" y="${y + 12}" font-weight="bold">${xmlEscape(b.group)}</text>`);
      prevGroup = b.group;
    }
    const len = Math.log2(b.ratio) * scale;
    const x = len >= 0 ? x0 : x0 + len;
    const color = b.ratio >= 1 ? '#2e7d32' : '#c62828';
    parts.push(
      `<text x="${labelW - 6}" y="${y + 12}" text-anchor="end">${xmlEscape(b.label)}</text>`,
      `<rect x="${x.toFixed(1)}" y="${y}" width="${Math.max(1, Math.abs(len)).toFixed(1)}" height="${barH}" fill="${color}"><title>${xmlEscape(`${b.group} ${b.label}: ${fmtRatio(b.ratio)}`)}</title></rect>`,
      `<text x="${(len >= 0 ? x0 + len + 4 : x0 + len - 4).toFixed(1)}" y="${y + 12}" text-anchor="${len >= 0 ? 'start' : 'end'}">${fmtRatio(b.ratio)}</text>`,
    );
    y += barH + gap;
  }
  if (bars.length === 0) {
    parts.push(
      `<text x="8" y="${y + 12}">No ratios: run rnnkit and at least one TF.js backend on the same workload.</text>`,
    );
    y += barH + gap;
  }
  const height = y + 36;
  const width = labelW + plotW + 60;
  const ticks: string[] = [];
  for (let k = -maxAbsLog; k <= maxAbsLog; k++) {
    const tx = x0 + k * scale;
    const label = k >= 0 ? `${2 ** k}×` : `1/${2 ** -k}×`;
    ticks.push(
      `<line x1="${tx.toFixed(1)}" y1="${top - 6}" x2="${tx.toFixed(1)}" y2="${height - 30}" stroke="${k === 0 ? '#000' : '#ddd'}"${k === 0 ? ' stroke-width="1.5"' : ''}/>`,
      `<text x="${tx.toFixed(1)}" y="${height - 14}" text-anchor="middle" fill="#555">${label}</text>`,
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="8" y="22" font-size="15" font-weight="bold">${xmlEscape(title)}</text>`,
    ...ticks,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

/** One soak result as the rnnkit child reports it. */
export interface SoakRow {
  workload: string;
  backend: string;
  steps: number;
  samples: SoakSample[];
  ms: number;
  peakRssMB: number;
  ok: boolean;
  reasons: string[];
  rssGrowthMB?: number;
  error?: string;
  /** Commit and date of the run (set by the CLI). */
  commit?: string;
  date?: string;
}

/**
 * The soak table: live tensors, storage, RSS, JS heap (after a full collection) and the
 * backend's own memory from the first sample to the last, and the verdict.
 */
export function formatSoak(rows: readonly SoakRow[]): string {
  const header = [
    'workload',
    'backend',
    'steps',
    'live tensors first→last (max)',
    'storage first→last',
    'RSS MB first→last (trend)',
    'JS heap MB first→last',
    'backend MB first→last',
    'ms/step',
    'peak RSS MB',
    'result',
  ];
  const cells = rows.map((r) => {
    const first = r.samples[0];
    const last = r.samples.at(-1);
    if (r.error || !first || !last)
      return [
        r.workload,
        r.backend,
        '—',
        '—',
        '—',
        '—',
        '—',
        '—',
        '—',
        fmtNum(r.peakRssMB),
        `not run: ${r.error ?? 'no samples'}`,
      ];
    const maxTensors = Math.max(...r.samples.map((s) => s.tensors));
    const trend =
      r.rssGrowthMB === undefined
        ? 'too short'
        : `${r.rssGrowthMB >= 0 ? '+' : ''}${r.rssGrowthMB}`;
    return [
      r.workload,
      r.backend,
      String(r.steps),
      `${first.tensors}→${last.tensors} (${maxTensors})`,
      `${first.dataIds}→${last.dataIds}`,
      `${fmtNum(first.rssMB)}→${fmtNum(last.rssMB)} (${trend})`,
      `${fmtNum(first.heapMB)}→${fmtNum(last.heapMB)}`,
      `${fmtNum(first.backendMB)}→${fmtNum(last.backendMB)}`,
      fmtNum(r.ms / Math.max(1, r.steps)),
      fmtNum(r.peakRssMB),
      r.ok ? 'ok: no growth' : `GROWTH: ${r.reasons.join('; ')}`,
    ];
  });
  const all = [header, ...cells];
  const widths = header.map((_, c) => Math.max(...all.map((r) => [...r[c]].length)));
  return all
    .map((r) =>
      r
        .map((v, c) => v + ' '.repeat(widths[c] - [...v].length))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
