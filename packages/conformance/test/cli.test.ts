/** The CLI: in-process through `runConformanceCli`, and end to end through the root `conformance` script. */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
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
import type { Backend, KernelFunc, KernelName } from '@rnnkit/core';
import { listBackends, registerBackend, removeBackend } from '@rnnkit/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CLI_USAGE,
  type ConformanceReport,
  isFixtureFile,
  runConformanceCli,
  shippedFixturesDir,
} from '../src/index.js';

const shipped = shippedFixturesDir();
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

/** cpu under another name, optionally with tanh off by `tanhOffset` and other dtypes. */
function thirdParty(name: string, tanhOffset = 0, dtypes?: string[]): Backend {
  const inner = new CpuBackend();
  const b = Object.create(inner) as Backend;
  const kernels = { ...inner.kernels } as Record<string, unknown>;
  if (tanhOffset !== 0) {
    const unary = inner.kernels.Unary;
    kernels.Unary = ((inputs: never, attrs: { op: string }, backend: CpuBackend) => {
      const out = unary(inputs, attrs as never, backend);
      if (attrs.op === 'tanh') {
        const values = backend.values(out.y as never);
        for (let i = 0; i < values.length; i++) values[i] += tanhOffset;
      }
      return out;
    }) as unknown as KernelFunc<KernelName, never>;
  }
  Object.defineProperty(b, 'name', { value: name });
  Object.defineProperty(b, 'kernels', { value: kernels });
  if (dtypes) Object.defineProperty(b, 'dtypes', { value: dtypes });
  Object.defineProperty(b, 'describe', { value: () => `${name}: cpu under another name` });
  return b;
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
  afterEach(() => {
    for (const n of listBackends()) if (n.startsWith('third-')) removeBackend(n);
  });

  it('ships the PyTorch fixtures and runs them by default', async () => {
    const cases = readdirSync(shipped).filter(isFixtureFile);
    expect(cases).toHaveLength(23);
    const { code, out } = await run(['--backend', 'cpu', '--only', 'fixtures', '--route', 'core']);
    expect(code).toBe(0);
    expect(out).toHaveLength(2 * 23 + 2);
    expect(out.filter((l) => l.startsWith('PASS fixture/float64/core/'))).toHaveLength(23);
    expect(out.at(-2)).toBe('fixtures: 46 passed, 0 failed');
    expect(out.at(-1)).toBe('46 passed, 0 failed');
  });

  it('--replace-fixtures runs only the given directory; unreadable cases fail with the reason', async () => {
    const { code, out } = await run([
      '--backend=cpu',
      '--only=fixtures',
      '--fixtures',
      dir,
      '--replace-fixtures',
      '--dtype',
      'float64',
      '--route',
      'core',
    ]);
    expect(code).toBe(1);
    const fixtureLines = out.filter((l) => l.includes('fixture/'));
    expect(fixtureLines).toHaveLength(3);
    expect(fixtureLines[0]).toMatch(
      /^FAIL fixture\/float64\/core\/bad_schema {2}Error: .*invalid fixture: 'hidden_size': expected a positive integer/,
    );
    expect(fixtureLines[1]).toMatch(
      /^FAIL fixture\/float64\/core\/broken_json {2}Error: .*invalid JSON/,
    );
    expect(fixtureLines[2]).toMatch(
      /^PASS fixture\/float64\/core\/lstm_seq1 {2}max err out \S+ grad \S+$/,
    );
    expect(out).toContain('fixtures: 1 passed, 2 failed');
    expect(out.at(-1)).toBe('1 passed, 2 failed');
  }, 120_000);

  it('--fixtures adds to the shipped cases, a same-named case replacing the shipped one', async () => {
    const extra = mkdtempSync(join(tmpdir(), 'rnnkit-extra-'));
    try {
      const json = JSON.parse(readFileSync(join(shipped, 'gru_l1_uni.json'), 'utf8'));
      writeFileSync(join(extra, 'my_case.json'), JSON.stringify(json));
      json.outputs.h_n.data[0][0][0] += 1; // a wrong answer under a shipped name
      writeFileSync(join(extra, 'lstm_batch1.json'), JSON.stringify({ ...json, name: 'x' }));
      const { code, out } = await run(
        ['--backend', 'cpu', '--only', 'fixtures', '--fixtures', relative(repoRoot, extra)],
        { cwd: repoRoot, env: {} },
      );
      expect(code).toBe(1);
      expect(out.filter((l) => l.includes('/my_case'))).toHaveLength(4);
      expect(out.filter((l) => /^FAIL .*\/lstm_batch1 {2}h_n: /.test(l))).toHaveLength(4);
      expect(out.at(-1)).toBe(`${4 * 24 - 4} passed, 4 failed`);
    } finally {
      rmSync(extra, { recursive: true });
    }
  }, 120_000);

  it('fails clearly on a missing fixture directory and a missing backend package', async () => {
    const missing = await run(['--backend', 'cpu', '--fixtures', join(dir, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.err.join('\n')).toMatch(/cannot read fixture directory .*nope/);
    const nope = await run(['--backend', 'nope']);
    expect(nope.code).toBe(1);
    expect(nope.err[0]).toMatch(/@rnnkit\/backend-nope is not installed/);
  });

  it('loads a backend from a module that registers it, or from an exported factory', async () => {
    const registering = async () => {
      registerBackend('third-reg', () => thirdParty('third-reg'), 0);
      return {};
    };
    const r1 = await run(
      ['--backend-module', './reg.js', '--filter', 'kernel/Unary/float32/tanh/[17, 3]'],
      {
        importer: registering,
      },
    );
    expect(r1.code).toBe(0);
    expect(r1.out.at(-1)).toBe('1 passed, 0 failed');
    expect(r1.err[0]).toMatch(/^backend third-reg: third-reg: cpu under another name/);

    let asked = '';
    const exporting = async (spec: string) => {
      asked = spec;
      return { makeIt: () => thirdParty('third-fac') };
    };
    const r2 = await run(
      ['--backend-module', './lib/fac.js', '--export', 'makeIt', '--filter', 'registered'],
      { importer: exporting, cwd: '/somewhere' },
    );
    expect(asked).toBe('file:///somewhere/lib/fac.js');
    expect(r2.code).toBe(0);
    expect(r2.out.at(-1)).toBe('19 passed, 0 failed');

    const none = await run(['--backend-module', 'some-pkg'], { importer: async () => ({ x: 1 }) });
    expect(none.code).toBe(1);
    expect(none.err[0]).toMatch(/'some-pkg' registered no backend .* exports no factory/);
    const clash = await run(['--backend-module', 'm'], {
      importer: async () => ({ default: () => new CpuBackend() }),
    });
    expect(clash.err[0]).toMatch(/named 'cpu', which is already registered \(cpu is the reference/);
  });

  it('reports what a backend declares unsupported as excluded with the reason, never as passed', async () => {
    const importer = async () => ({
      default: () => thirdParty('third-f32', 0, ['float32', 'int32']),
      conformance: {
        unsupportedDTypes: { float64: 'stores float32 only' },
        unsupportedKernels: { AdamUpdate: 'not written yet' },
      },
    });
    const jsonPath = join(dir, 'out', 'report.json');
    const r = await run(
      ['--backend-module', 'm', '--only', 'kernels,gradients', '--json', jsonPath],
      { importer },
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as ConformanceReport;
    expect(existsSync(`${jsonPath}.tmp`)).toBe(false);
    const byStatus = (s: string) => report.cases.filter((c) => c.status === s);
    for (const c of byStatus('excluded')) {
      expect(c.exclusion?.reason).toMatch(/stores float32 only|not written yet/);
      expect(r.out).toContain(`EXCLUDED ${c.id}  ${c.exclusion?.reason}`);
    }
    expect(
      byStatus('passed').some((c) => c.id.includes('float64') || c.id.includes('AdamUpdate')),
    ).toBe(false);
    expect(
      report.cases.filter((c) => c.part === 'gradients').every((c) => c.status === 'excluded'),
    ).toBe(true);
    expect(byStatus('excluded').map((c) => c.id)).toContain('registered/AdamUpdate');
    expect(report.summary.total.failed).toBe(0);
    expect(report.summary.kernels.excluded).toBeGreaterThan(300);
    expect(report.backend).toEqual({
      name: 'third-f32',
      description: 'third-f32: cpu under another name',
      dtypes: ['float32', 'int32'],
    });
    expect(r.out).toContain(
      `kernels: ${report.summary.kernels.passed} passed, 0 failed, ${report.summary.kernels.excluded} excluded`,
    );
  }, 120_000);

  it('fails on a stale exclusion and on a profile contradicting the backend', async () => {
    const stale = await run(['--backend-module', 'm', '--only', 'kernels'], {
      importer: async () => ({
        default: () => thirdParty('third-stale'),
        conformance: { exclusions: { 'kernel/Frobnicate': 'no such kernel' } },
      }),
    });
    expect(stale.code).toBe(1);
    expect(stale.err.join('\n')).toMatch(/exclusion 'kernel\/Frobnicate' matches no case/);
    const contradiction = await run(['--backend-module', 'm'], {
      importer: async () => ({
        default: () => thirdParty('third-contra'),
        conformance: { unsupportedDTypes: { float64: 'none' } },
      }),
    });
    expect(contradiction.code).toBe(1);
    expect(contradiction.err.join('\n')).toMatch(
      /unsupportedDTypes.float64: backend 'third-contra' lists float64/,
    );
  });

  it('a tanh off by 1e-3 fails exactly the cases that call tanh, and the JSON report says which', async () => {
    const jsonPath = join(dir, 'tanh.json');
    const r = await run(['--backend-module', 'm', '--json', jsonPath], {
      importer: async () => ({ default: () => thirdParty('third-tanh', 1e-3) }),
    });
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as ConformanceReport;
    const failed = report.cases.filter((c) => c.status === 'failed').map((c) => c.id);
    const usingTanh = report.cases.filter((c) => c.kernels.includes('Unary/tanh')).map((c) => c.id);
    expect(failed).toEqual(usingTanh);
    expect(failed).toContain('kernel/Unary/float32/tanh/[17, 3]');
    expect(failed).toContain('gradient/unary/tanh');
    expect(r.out.at(-1)).toBe(`${report.summary.total.passed} passed, ${failed.length} failed`);
  }, 180_000);

  it('prints usage for --help and names the option on usage errors', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toEqual([CLI_USAGE]);
    for (const [argv, message] of [
      [['--backend', 'cpu', '--only', 'fixtures,speed'], /--only takes .* got 'speed'/],
      [[], /--backend <name> or --backend-module/],
      [['--backend', 'cpu', '--export', 'x'], /--export names an export of --backend-module/],
      [['--backend', 'cpu', '--dtype', 'int8'], /--dtype takes .* got 'int8'/],
      [['--backend', 'cpu', '--num-runs', '0'], /--num-runs must be an integer ≥ 1/],
      [
        ['--backend', 'cpu', '--replace-fixtures'],
        /--replace-fixtures needs at least one --fixtures/,
      ],
      [['--backend', './x.js'], /a file goes to --backend-module/],
      [['--backend', 'cpu', '--frobnicate'], /frobnicate/],
    ] as [string[], RegExp][]) {
      const bad = await run(argv);
      expect(bad.code, argv.join(' ')).toBe(2);
      expect(bad.err[0]).toMatch(message);
    }
  });

  it('runs end to end through the root `conformance` script (tsx, source condition)', async () => {
    const script = (
      JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts.conformance;
    const [bin, ...args] = script.split(/\s+/);
    expect(bin).toBe('tsx');
    const { stdout } = await promisify(execFile)(
      join(repoRoot, 'node_modules', '.bin', 'tsx'),
      [...args, '--backend', 'cpu', '--only', 'fixtures', '--dtype', 'float32', '--route', 'nn'],
      { cwd: repoRoot },
    );
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(23 + 2);
    expect(lines.at(-1)).toBe('23 passed, 0 failed');
  }, 120_000);
});
