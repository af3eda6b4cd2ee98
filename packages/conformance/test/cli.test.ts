/** The CLI: in-process through `runConformanceCli`, and end to end through the root `conformance` script. */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CpuBackend } from '@rnnkit/backend-cpu';
import type { Backend } from '@rnnkit/core';
import { registerBackend, removeBackend } from '@rnnkit/core';
import { FIXTURES_PATH } from '@rnnkit/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_USAGE, fixturesDirFromEnv, isFixtureFile, runConformanceCli } from '../src/index.js';

const shipped = FIXTURES_PATH;
const fixturesDir = fixturesDirFromEnv(shipped);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

async function run(argv: string[], extra: Partial<Parameters<typeof runConformanceCli>[1]> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runConformanceCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: {},
    ...extra,
  });
  return { code, out, err };
}

describe('conformance CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rnnkit-fixtures-'));
    copyFileSync(join(shipped, 'lstm_seq1.json'), join(dir, 'lstm_seq1.json'));
    writeFileSync(join(dir, 'broken_json.json'), '{"mode": "LSTM",');
    writeFileSync(join(dir, 'bad_schema.json'), JSON.stringify({ mode: 'LSTM', input_size: 2 }));
    writeFileSync(join(dir, 'index.json'), JSON.stringify({ cases: [] }));
    writeFileSync(join(dir, 'notes.txt'), 'not a case');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every *.json except index.json and reports unreadable cases as failures', async () => {
    const { code, out } = await run(['--backend', 'cpu', '--fixtures', dir, '--dtype', 'float64']);
    expect(code).toBe(1);
    expect(out).toHaveLength(4);
    expect(out[0]).toMatch(
      /^FAIL bad_schema {2}invalid fixture: 'hidden_size': expected a positive integer/,
    );
    expect(out[1]).toMatch(/^FAIL broken_json {2}invalid JSON: /);
    expect(out[2]).toMatch(/^PASS lstm_seq1 {2}max err out \S+ grad \S+$/);
    expect(out[3]).toBe('1 passed, 2 failed');
  });

  it('takes a relative --fixtures from the starting directory', async () => {
    const { code, out } = await run(
      ['--backend', 'cpu', '--fixtures', relative(repoRoot, dir), '--route', 'core'],
      { cwd: repoRoot },
    );
    expect(code).toBe(1);
    expect(out.at(-1)).toBe('1 passed, 2 failed');
    const viaInitCwd = await run(['--backend', 'cpu', '--fixtures', relative(repoRoot, dir)], {
      env: { INIT_CWD: repoRoot },
    });
    expect(viaInitCwd.out.at(-1)).toBe('1 passed, 2 failed');
  });

  it('fails clearly on a missing directory, an empty directory and a missing backend package', async () => {
    const missing = await run(['--backend', 'cpu', '--fixtures', join(dir, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.err[0]).toMatch(/cannot read fixture directory/);
    const empty = mkdtempSync(join(tmpdir(), 'rnnkit-empty-'));
    try {
      const r = await run(['--backend', 'cpu', '--fixtures', empty]);
      expect(r.code).toBe(1);
      expect(r.err[0]).toMatch(/no fixture/);
      expect(r.out).toEqual(['0 passed, 0 failed']);
    } finally {
      rmSync(empty, { recursive: true });
    }
    const nope = await run(['--backend', 'nope', '--fixtures', dir]);
    expect(nope.code).toBe(1);
    expect(nope.err[0]).toMatch(/@rnnkit\/backend-nope is not installed/);
  });

  it('refuses float64 on a backend without it', async () => {
    const importer = async () => {
      registerBackend(
        'f32only',
        () => {
          const b = Object.create(new CpuBackend()) as Backend;
          Object.defineProperty(b, 'name', { value: 'f32only' });
          Object.defineProperty(b, 'dtypes', { value: ['float32', 'int32'] });
          return b;
        },
        0,
      );
    };
    try {
      const r = await run(['--backend', 'f32only', '--fixtures', dir, '--dtype', 'float64'], {
        importer,
      });
      expect(r.code).toBe(1);
      expect(r.err[0]).toMatch(
        /backend 'f32only' does not support float64 \(it supports float32, int32\)/,
      );
    } finally {
      removeBackend('f32only');
    }
  });

  it('prints usage for --help and on usage errors', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toEqual([CLI_USAGE]);
    const bad = await run(['--backend', 'cpu', '--dtype', 'int8']);
    expect(bad.code).toBe(2);
    expect(bad.err[0]).toMatch(/--dtype must be float32 or float64/);
  });

  it('passes every fixture end to end through the root `conformance` script (tsx, source condition)', async () => {
    const script = (
      JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts.conformance;
    const [bin, ...args] = script.split(/\s+/);
    expect(bin).toBe('tsx');
    const cases = readdirSync(fixturesDir).filter(isFixtureFile).length;
    for (const dtype of ['float64', 'float32']) {
      const { stdout } = await promisify(execFile)(
        join(repoRoot, 'node_modules', '.bin', 'tsx'),
        [...args, '--backend', 'cpu', '--fixtures', fixturesDir, '--dtype', dtype],
        {
          cwd: repoRoot,
        },
      );
      const lines = stdout.trim().split('\n');
      expect(lines).toHaveLength(cases + 1);
      expect(lines.at(-1)).toBe(`${cases} passed, 0 failed`);
    }
  }, 120_000);
});
