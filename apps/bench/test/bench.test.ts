// Unit tests of the pure parts: FLOP formulas, statistics and data, argument parsing, job
// planning, merging of runs, and the table, Markdown and SVG renderings.
import { describe, expect, it } from 'vitest';
import {
  ALL_TARGETS,
  childCommand,
  estimateRemainingMs,
  fmtDuration,
  mergeRows,
  parseChildOutput,
  parseCliArgs,
  planJobs,
  restrictionNotes,
  runsOf,
} from '../src/cli.js';
import { isMissingModule } from '../src/engines/child.js';
import {
  bestMatmul,
  buildTable,
  checkpointLines,
  fmtRatio,
  formatTable,
  HEADERS,
  isSoftwareGl,
  toMarkdown,
  toSvg,
} from '../src/report.js';
import {
  forwardFlops,
  getWorkload,
  gflopsOf,
  makeBatch,
  median,
  type ResultRow,
  rnnLayerFlops,
  stepFlops,
  summarize,
  WORKLOADS,
} from '../src/workloads.js';

const row = (
  workload: ResultRow['workload'],
  engine: ResultRow['engine'],
  backend: string,
  medianMs: number,
  extra: Partial<ResultRow> = {},
): ResultRow => {
  const w = getWorkload(workload);
  return {
    workload,
    engine,
    backend,
    medianMs,
    minMs: medianMs * 0.9,
    maxMs: medianMs * 1.1,
    runs: 10,
    gflops: gflopsOf(stepFlops(w), medianMs),
    peakRssMB: 200,
    ...extra,
  };
};

describe('FLOP formulas', () => {
  it('counts 2·B·T·G·H·(I+H) per layer and direction', () => {
    expect(rnnLayerFlops('LSTM', 32, 50, 64, 128)).toBe(314_572_800);
    expect(rnnLayerFlops('GRU', 32, 50, 64, 128)).toBe(235_929_600);
    expect(rnnLayerFlops('SimpleRNN', 32, 50, 64, 128)).toBe(78_643_200);
  });

  it('gives each workload its forward and step count', () => {
    const dense10 = 2 * 32 * 128 * 10;
    expect(forwardFlops(getWorkload('W1'))).toBe(314_572_800 + dense10);
    expect(stepFlops(getWorkload('W1'))).toBe(314_572_800 + dense10); // inference: forward only
    expect(stepFlops(getWorkload('W2'))).toBe(3 * (314_572_800 + dense10));
    expect(stepFlops(getWorkload('W3'))).toBe(3 * (235_929_600 + dense10));
    expect(stepFlops(getWorkload('W4'))).toBe(3 * (78_643_200 + dense10));
    // char-LM: LSTM over one-hot 65 with H 256, T 100, B 16, Dense(65) at all 1600 steps.
    expect(forwardFlops(getWorkload('W5'))).toBe(
      2 * 16 * 100 * 4 * 256 * (65 + 256) + 2 * 1600 * 256 * 65,
    );
    // 2-layer BiLSTM: layer 2 reads 2H = 256 features; head reads [B, 2H].
    expect(forwardFlops(getWorkload('W6'))).toBe(
      2 * 314_572_800 + 2 * rnnLayerFlops('LSTM', 32, 50, 256, 128) + 2 * 32 * 256 * 10,
    );
    expect(forwardFlops(getWorkload('MM512'))).toBe(8 * 2 * 512 ** 3);
  });

  it('converts to GFLOP/s', () => {
    expect(gflopsOf(2e9, 1000)).toBe(2);
    expect(gflopsOf(1e9, 0)).toBe(0);
  });
});

describe('statistics and data', () => {
  it('takes medians of odd and even lists without mutating them', () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
    expect(summarize([3, 1, 2])).toEqual({ medianMs: 2, minMs: 1, maxMs: 3, runs: 3 });
  });

  it('makes deterministic batches with one-hot targets', () => {
    const a = makeBatch(getWorkload('W5'));
    const b = makeBatch(getWorkload('W5'));
    expect(a.x).toEqual(b.x);
    expect(a.xShape).toEqual([16, 100, 65]);
    expect(a.yShape).toEqual([16, 100, 65]);
    const rowSums = Array.from({ length: 16 * 100 }, (_, r) =>
      a.y.subarray(r * 65, r * 65 + 65).reduce((s, v) => s + v, 0),
    );
    expect(new Set(rowSums)).toEqual(new Set([1]));
    expect(makeBatch(getWorkload('W2')).yShape).toEqual([32, 10]);
  });

  it('knows every workload by id, case-insensitively', () => {
    expect(WORKLOADS.map((w) => w.id)).toEqual([
      'MM512',
      'W1',
      'W2',
      'W3',
      'W4',
      'W5',
      'W6',
      'L1',
      'L1C',
    ]);
    expect(getWorkload('w3').cell).toBe('GRU');
    expect(() => getWorkload('W9')).toThrow(/unknown workload 'W9'/);
  });
});

describe('argument parsing', () => {
  it('defaults to every workload, target, and 10 runs', () => {
    const o = parseCliArgs([]);
    expect(o.workloads).toEqual(['MM512', 'W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'L1', 'L1C']);
    expect(o.targets).toEqual(ALL_TARGETS);
    expect(o.runs).toBe(10);
    expect(o.warmup).toBe(2);
    expect(o.soak).toBe(0);
  });

  it('narrows by workloads, engines and backends (bare or engine-qualified)', () => {
    const o = parseCliArgs(['--workloads', 'w1, W2', '--engines', 'tfjs', '--runs', '3']);
    expect(o.workloads).toEqual(['W1', 'W2']);
    expect(o.targets).toEqual([
      { engine: 'tfjs', backend: 'cpu' },
      { engine: 'tfjs', backend: 'wasm' },
    ]);
    expect(o.runs).toBe(3);
    expect(parseCliArgs(['--backends', 'cpu,tfjs:wasm']).targets).toEqual([
      { engine: 'rnnkit', backend: 'cpu' },
      { engine: 'tfjs', backend: 'cpu' },
      { engine: 'tfjs', backend: 'wasm' },
      { engine: 'onnxruntime', backend: 'cpu' },
      { engine: 'pytorch', backend: 'cpu' },
    ]);
    expect(parseCliArgs(['--engines', 'pytorch,onnxruntime']).targets).toEqual([
      { engine: 'onnxruntime', backend: 'cpu' },
      { engine: 'pytorch', backend: 'cpu' },
      { engine: 'pytorch', backend: 'cpu-1t' },
    ]);
    expect(() => parseCliArgs(['--engines', 'jax'])).toThrow(/unknown engine 'jax'.*pytorch/);
    expect(parseCliArgs(['--', '--runs', '12']).runs).toBe(12);
    expect(parseCliArgs(['--report-only']).reportOnly).toBe(true);
    expect(parseCliArgs([]).reportOnly).toBe(false);
  });

  it('runs the soak on rnnkit only, W2 by default', () => {
    const o = parseCliArgs(['--soak', '1000']);
    expect(o.soak).toBe(1000);
    expect(o.workloads).toEqual(['W2']);
    expect(o.targets.every((t) => t.engine === 'rnnkit')).toBe(true);
    expect(o.timeoutMs).toBe(360 * 60_000);
    expect(parseCliArgs([]).timeoutMs).toBe(30 * 60_000);
    expect(parseCliArgs(['--soak', '5', '--timeout-min', '2']).timeoutMs).toBe(2 * 60_000);
    expect(() => parseCliArgs(['--soak', '10', '--workloads', 'W1'])).toThrow(/training/);
  });

  it('rejects bad input with a readable message', () => {
    expect(() => parseCliArgs(['--runs', '0'])).toThrow(/--runs/);
    expect(() => parseCliArgs(['--engines', 'torch'])).toThrow(/unknown engine 'torch'/);
    expect(() => parseCliArgs(['--backends', 'webgpu'])).toThrow(/unknown backend 'webgpu'/);
    expect(() => parseCliArgs(['--engines', 'tfjs', '--backends', 'gpujs'])).toThrow(
      /nothing to run/,
    );
    expect(() => parseCliArgs(['--frobnicate'])).toThrow();
  });

  it('plans workloads outermost and estimates the remaining time per target', () => {
    const o = parseCliArgs(['--workloads', 'W1,W2', '--engines', 'tfjs']);
    const jobs = planJobs(o);
    expect(jobs.map((j) => `${j.workload}/${j.target.backend}`)).toEqual([
      'W1/cpu',
      'W1/wasm',
      'W2/cpu',
      'W2/wasm',
    ]);
    expect(estimateRemainingMs([], jobs)).toBeUndefined();
    // tfjs/cpu did W1 (weight w) in 10 s, so W2/cpu (3× the work) takes ~30 s.
    const eta = estimateRemainingMs([{ job: jobs[0], wallMs: 10_000 }], [jobs[2]]);
    expect(eta).toBeCloseTo(30_000, -2);
    expect(fmtDuration(65_000)).toBe('1:05');
    expect(fmtDuration(3_725_000)).toBe('1:02:05');
  });

  it('runs the long pair on rnnkit/wasm only, with its own run count, and says so', () => {
    const o = parseCliArgs(['--workloads', 'W2,L1,L1C', '--engines', 'rnnkit,tfjs', '--runs', '7']);
    const jobs = planJobs(o);
    expect(jobs.map((j) => `${j.workload}/${j.target.engine}/${j.target.backend}`)).toEqual([
      'W2/rnnkit/cpu',
      'W2/rnnkit/wasm',
      'W2/rnnkit/gpujs',
      'W2/tfjs/cpu',
      'W2/tfjs/wasm',
      'L1/rnnkit/wasm',
      'L1C/rnnkit/wasm',
    ]);
    expect(runsOf(getWorkload('W2'), o)).toEqual({ runs: 7, warmup: 2 });
    expect(runsOf(getWorkload('L1C'), o)).toEqual({ runs: 2, warmup: 1 });
    const args = childCommand(jobs[6], o, false).args;
    expect(args.slice(args.indexOf('--runs'), args.indexOf('--runs') + 4)).toEqual([
      '--runs',
      '2',
      '--warmup',
      '1',
    ]);
    expect(args).not.toContain('--expose-gc');
    const soak = parseCliArgs(['--soak', '100', '--backends', 'rnnkit:wasm']);
    expect(childCommand(planJobs(soak)[0], soak, false).args[0]).toBe('--expose-gc');
    expect(restrictionNotes(o)).toEqual([
      expect.stringMatching(/^L1 runs on rnnkit\/wasm only: /),
      expect.stringMatching(/^L1C runs on rnnkit\/wasm only: /),
    ]);
    expect(
      restrictionNotes(parseCliArgs(['--workloads', 'L1', '--backends', 'rnnkit:wasm'])),
    ).toEqual([]);
  });
});

describe('child plumbing', () => {
  it('takes the last JSON line of a child’s stdout', () => {
    expect(parseChildOutput('banner\n{"a":1}\n{"b":2}\n')).toEqual({ b: 2 });
    expect(parseChildOutput('nothing here')).toBeUndefined();
  });

  it('tells a missing backend package from a failure inside it', () => {
    const missing = Object.assign(
      new Error("Cannot find package '@rnnkit/backend-gpujs' imported from /x.ts"),
      { code: 'ERR_MODULE_NOT_FOUND' },
    );
    const noEntry = Object.assign(
      new Error(
        "Cannot find module '/w/node_modules/@rnnkit/backend-wasm/src/index.ts' imported from /x.ts",
      ),
      { code: 'ERR_MODULE_NOT_FOUND' },
    );
    const inner = Object.assign(
      new Error("Cannot find module '/w/packages/backend-wasm/src/kernels.js' imported from /x.ts"),
      { code: 'ERR_MODULE_NOT_FOUND' },
    );
    expect(isMissingModule(missing, '@rnnkit/backend-gpujs')).toBe(true);
    expect(isMissingModule(noEntry, '@rnnkit/backend-wasm')).toBe(true);
    expect(isMissingModule(inner, '@rnnkit/backend-wasm')).toBe(false);
    expect(isMissingModule(new Error('boom'), '@rnnkit/backend-wasm')).toBe(false);
  });

  it('merges a narrowed run over the previous rows', () => {
    const prev = [row('W2', 'tfjs', 'wasm', 400), row('W2', 'rnnkit', 'cpu', 900)];
    const { rows, stale } = mergeRows(prev, [row('W2', 'rnnkit', 'cpu', 300)]);
    expect(rows.map((r) => `${r.engine}/${r.backend}:${r.medianMs}`)).toEqual([
      'rnnkit/cpu:300',
      'tfjs/wasm:400',
    ]);
    expect([...stale]).toEqual(['W2/tfjs/wasm']);
  });
});

describe('report', () => {
  const rows: ResultRow[] = [
    row('MM512', 'tfjs', 'wasm', 6.7),
    row('MM512', 'rnnkit', 'wasm', 13.4),
    row('W2', 'tfjs', 'cpu', 1476, { trajectory: [2.3, 2.2000001, 2.1, 2.0000002] }),
    row('W2', 'tfjs', 'wasm', 418, { trajectory: [2.3, 2.2, 2.1, 2.01] }),
    row('W2', 'rnnkit', 'wasm', 209, { check: 2.3, trajectory: [2.3, 2.2, 2.1, 2.0] }),
    row('W2', 'rnnkit', 'cpu', 836, { check: 2.3, trajectory: [2.3, 2.2, 2.1, 2.0] }),
    row('W2', 'rnnkit', 'gpujs', 0, { error: 'cannot initialise backend: no GL context' }),
    row('W3', 'tfjs', 'wasm', 253),
  ];

  it('computes ratios to each TF.js backend and the share of the best matmul', () => {
    const best = bestMatmul(rows);
    expect(best).toMatchObject({ engine: 'tfjs', backend: 'wasm' });
    const t = buildTable(rows);
    expect(t.map((r) => `${r.workload}/${r.engine}/${r.backend}`)).toEqual([
      'MM512/rnnkit/wasm',
      'MM512/tfjs/wasm',
      'W2/rnnkit/cpu',
      'W2/rnnkit/wasm',
      'W2/rnnkit/gpujs',
      'W2/tfjs/cpu',
      'W2/tfjs/wasm',
      'W3/tfjs/wasm',
    ]);
    const wasm = t.find(
      (r) => r.workload === 'W2' && r.backend === 'wasm' && r.engine === 'rnnkit',
    );
    expect(wasm?.ratios.wasm).toBeCloseTo(2, 10);
    expect(wasm?.ratios.cpu).toBeCloseTo(1476 / 209, 10);
    expect(wasm?.seqPerS).toBeCloseTo((32 * 1000) / 209, 10);
    expect(wasm?.ofBestMatmul).toBeCloseTo(wasm!.gflops! / best!.gflops, 10);
    expect(wasm?.parity).toMatchObject({ reference: 'tfjs/cpu', ok: true });
    expect(wasm?.parity?.diff).toBeCloseTo(1e-7, 8);
    // TF.js rows are checked against rnnkit's cpu row; a 0.5% drift after the steps fails.
    const tfCpu = t.find((r) => r.workload === 'W2' && r.engine === 'tfjs' && r.backend === 'cpu');
    expect(tfCpu?.parity).toMatchObject({ reference: 'rnnkit/cpu', ok: true });
    const tfWasm = t.find(
      (r) => r.workload === 'W2' && r.engine === 'tfjs' && r.backend === 'wasm',
    );
    expect(tfWasm?.ratios.wasm).toBeUndefined();
    expect(tfWasm?.ratios.cpu).toBeCloseTo(1476 / 418, 10);
    expect(tfWasm?.parity).toMatchObject({ reference: 'rnnkit/cpu', ok: false });
    expect(t.find((r) => r.workload === 'W3')?.notes.join()).toMatch(/reset_after/);
  });

  it('formats an aligned text table with a row per result, failures saying why', () => {
    const text = formatTable(buildTable(rows));
    const lines = text.split('\n');
    expect(lines).toHaveLength(2 + rows.length);
    expect(lines[0]).toMatch(/^workload\s+engine\s+backend\s+ms\/step/);
    expect(text).toContain('not run: cannot initialise backend: no GL context');
    const w2wasm = lines.find((l) => /^W2\s+rnnkit\s+wasm/.test(l));
    expect(w2wasm).toMatch(/209\.0/);
    expect(w2wasm).toMatch(/2\.00×/);
    expect(fmtRatio(12.345)).toBe('12.3×');
  });

  it('writes a Markdown table with the best matmul figure', () => {
    const md = toMarkdown(
      buildTable(rows),
      { node: '20.0.0', cpu: 'Test CPU', cores: 2, platform: 'linux x64', date: '2025-01-01' },
      bestMatmul(rows),
    );
    expect(md).toContain(`| ${HEADERS.join(' | ')} |`);
    expect(md).toMatch(/Best measured matrix-product throughput:\*\* [\d.]+ GFLOP\/s \(tfjs\/wasm/);
    expect(md.split('\n').filter((l) => l.startsWith('| W2 '))).toHaveLength(5);
    expect(md).toContain('**W3**');
  });

  it('draws one SVG bar per ratio', () => {
    const svg = toSvg(buildTable(rows));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    // W2: rnnkit cpu and wasm, each vs tfjs cpu and wasm; W3 has no rnnkit row.
    expect(svg.match(/<rect x=/g)).toHaveLength(4);
    // A TF.js-only run charts TF.js cpu against wasm.
    const tfOnly = toSvg(buildTable(rows.filter((r) => r.engine === 'tfjs')));
    expect(tfOnly).toContain('tfjs/cpu vs tfjs-wasm');
    expect(svg).toContain('rnnkit/wasm vs tfjs-wasm');
    expect(toSvg([])).toContain('No ratios');
  });

  it('flags software GL rows', () => {
    expect(
      isSoftwareGl({ backend: 'gpujs', device: 'gpujs: headless-gl, Mesa llvmpipe (LLVM 15)' }),
    ).toBe(true);
    expect(isSoftwareGl({ backend: 'gpujs', device: 'gpujs: NVIDIA GeForce RTX 3080' })).toBe(
      false,
    );
    expect(isSoftwareGl({ backend: 'wasm', device: 'x' })).toBe(false);
  });
});

describe('the long pair', () => {
  const commit = 'abc1234';
  const machine = {
    node: '20.0.0',
    cpu: 'test CPU',
    cores: 2,
    platform: 'linux x64',
    date: '2026-12-01T00:00:00Z',
    commit,
  };
  const rows = [
    row('L1', 'rnnkit', 'wasm', 20_000, { peakRssMB: 3000, trajectory: [2.3, 2.2], commit }),
    row('L1C', 'rnnkit', 'wasm', 26_000, {
      peakRssMB: 600,
      trajectory: [2.3, 2.2 * (1 + 1e-7)],
      commit,
    }),
  ];

  it('prints the checkpointed row’s time and memory as ratios of its plain twin', () => {
    expect(checkpointLines(buildTable(rows))).toEqual([
      'L1C vs L1 (rnnkit/wasm): time 1.30×, peak RSS 0.20× of plain BPTT',
    ]);
    expect(toMarkdown(buildTable(rows), machine, undefined)).toContain(
      '**Checkpointed BPTT:** L1C vs L1 (rnnkit/wasm): time 1.30×, peak RSS 0.20× of plain BPTT.',
    );
    // A twin from another commit is no pair.
    expect(checkpointLines(buildTable([rows[0], { ...rows[1], commit: 'def5678' }]))).toEqual([]);
  });

  it('checks the checkpointed losses against the plain ones, not against another engine', () => {
    const [plain, ckpt] = buildTable(rows);
    expect(plain.parity).toBeUndefined();
    expect(ckpt.parity).toMatchObject({ reference: 'L1 rnnkit/wasm', ok: true });
    const apart = buildTable([rows[0], { ...rows[1], trajectory: [2.3, 2.25] }])[1];
    expect(apart.parity?.ok).toBe(false);
  });
});
