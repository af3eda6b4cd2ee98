// Rows carry their commit and date; a table never takes a ratio across commits.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitCommit, onCommit, tableCommit } from '../src/provenance.js';
import { buildTable, fmtDate, formatTable, toMarkdown } from '../src/report.js';
import type { ResultRow } from '../src/workloads.js';

const row = (
  engine: ResultRow['engine'],
  backend: string,
  medianMs: number,
  commit: string | undefined,
  date: string,
  trajectory?: number[],
): ResultRow => ({
  workload: 'W2',
  engine,
  backend,
  medianMs,
  minMs: medianMs,
  maxMs: medianMs,
  runs: 10,
  gflops: 1,
  peakRssMB: 100,
  commit,
  date,
  trajectory,
});

describe('gitCommit', () => {
  it('names the checked-out commit and marks uncommitted changes', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-git-'));
    expect(gitCommit(dir)).toBe('unknown');
    const git = (...args: string[]) =>
      spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir });
    git('init', '-q');
    writeFileSync(path.join(dir, 'a.txt'), 'one');
    git('add', 'a.txt');
    git('commit', '-q', '-m', 'one');
    const head = spawnSync('git', ['rev-parse', '--short=10', 'HEAD'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(gitCommit(dir)).toBe(head.stdout.trim());
    writeFileSync(path.join(dir, 'a.txt'), 'two');
    expect(gitCommit(dir)).toBe(`${head.stdout.trim()}+dirty`);
  });
});

describe('mixing commits', () => {
  const rows = [
    row('rnnkit', 'wasm', 100, 'bbb', '2026-12-01T15:00:00Z', [2, 1.9]),
    row('tfjs', 'wasm', 400, 'aaa', '2026-12-01T10:00:00Z', [2, 1.9]),
    row('tfjs', 'cpu', 1200, 'bbb', '2026-12-01T15:00:00Z', [2, 1.9]),
  ];

  it('takes the newest row’s commit as the table’s', () => {
    expect(tableCommit(rows)).toBe('bbb');
    expect(tableCommit([])).toBeUndefined();
    expect(onCommit(rows[1], 'bbb')).toBe(false);
    expect(onCommit({}, undefined)).toBe(true);
  });

  it('refuses ratios and checks across commits and says why on the row', () => {
    const t = buildTable(rows);
    const wasm = t.find((r) => r.engine === 'rnnkit');
    expect(wasm?.ratios.cpu).toBe(12);
    expect(wasm?.ratios.wasm).toBeUndefined(); // the tfjs/wasm row is from commit aaa
    expect(wasm?.parity?.reference).toBe('tfjs/cpu');
    const old = t.find((r) => r.engine === 'tfjs' && r.backend === 'wasm');
    expect(old?.ratios).toEqual({});
    expect(old?.parity).toBeUndefined();
    expect(old?.notes.join()).toMatch(/measured on commit aaa, not bbb: no ratios or check/);
    // An explicit commit (this run's) wins over the newest row's.
    expect(buildTable(rows, { commit: 'aaa' }).find((r) => r.engine === 'rnnkit')?.ratios).toEqual(
      {},
    );
  });

  it('shows every row’s commit and date, and the table’s commit in Markdown', () => {
    const t = buildTable([...rows, row('rnnkit', 'cpu', 300, 'bbb+dirty', '2026-12-01T16:00:00Z')]);
    const text = formatTable(t);
    expect(text).toMatch(/same function\s+commit\s+date/);
    expect(text).toMatch(/aaa\s+2026-12-01 10:00/);
    expect(text).toMatch(/measured on uncommitted changes/);
    expect(fmtDate(undefined)).toBe('—');
    const md = toMarkdown(
      t,
      { node: '20', cpu: 'c', cores: 2, platform: 'p', date: 'd', commit: 'bbb' },
      undefined,
    );
    expect(md).toMatch(/commit bbb/);
    expect(md).toMatch(/same function/);
  });
});
