/**
 * Packages a stranger can install. Packs every publishable package (`pnpm pack`, via
 * scripts/pack-packages.mjs), checks what each tarball ships, installs the tarballs with npm
 * into an empty temporary project (no workspace, no `source` condition), and runs the
 * getting-started example there: in Node on cpu and on wasm, and bundled with esbuild in
 * Debian's Chromium (driven by playwright-core, never a downloaded browser).
 *
 * backend-gpujs is packed and inspected but not installed: npm would build its native `gl`
 * module, minutes of C++ that its own tests already cover.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packPackages } from '../../../scripts/pack-packages.mjs';
import { inspectTarball } from './tarball.js';

/** Debian's Chromium (apt package `chromium`); override with RNNKIT_CHROMIUM. */
const CHROMIUM = process.env.RNNKIT_CHROMIUM ?? '/usr/bin/chromium';
/** Installed and run; the rest is packed and inspected only. */
const INSTALLED = ['@rnnkit/core', '@rnnkit/backend-cpu', '@rnnkit/backend-wasm', '@rnnkit/nn'];
const exampleDir = fileURLToPath(new URL('./example/', import.meta.url));

let work: string;
let project: string;
let packed: { name: string; version: string; tarball: string }[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'rnnkit-install-'));
  packed = packPackages({ outDir: join(work, 'tarballs') });
  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'stranger', private: true, type: 'module' }, null, 2)}\n`,
  );
  const tarballs = packed.filter((p) => INSTALLED.includes(p.name)).map((p) => p.tarball);
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs],
    { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  for (const file of ['getting-started.mjs', 'node.mjs', 'browser.mjs']) {
    copyFileSync(join(exampleDir, file), join(project, file));
  }
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarballs', () => {
  it('cover every publishable package', () => {
    expect(packed.map((p) => p.name).sort()).toEqual(
      [...INSTALLED, '@rnnkit/backend-gpujs', '@rnnkit/conformance', '@rnnkit/testing'].sort(),
    );
  });

  it('ship no test, test helper or workspace-only path, and import only what they declare', () => {
    const problems = packed.flatMap((p) => inspectTarball(p.tarball));
    expect(problems).toEqual([]);
  });
});

describe('installed with npm into an empty project', () => {
  it('has no workspace links: every @rnnkit package is a real folder from its tarball', () => {
    for (const name of INSTALLED) {
      const manifest = JSON.parse(
        readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8'),
      );
      expect(manifest.name).toBe(name);
      expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain('workspace:');
    }
  });

  for (const backend of ['cpu', 'wasm']) {
    it(`runs the getting-started example in Node on ${backend}`, () => {
      const out = execFileSync('node', ['node.mjs', backend], { cwd: project, encoding: 'utf8' });
      const result = JSON.parse(out.trim().split('\n').at(-1)!);
      expect(result.backend).toBe(backend);
      expect(result.accuracy).toBeGreaterThan(0.9);
      expect(result.lastLoss).toBeLessThan(result.firstLoss / 2);
      expect(result.savedToFile).toBe(true);
    });
  }

  it('runs it bundled with esbuild in headless Chromium, on cpu and wasm', async () => {
    expect(
      existsSync(CHROMIUM),
      `Chromium not found at ${CHROMIUM} (apt-get install chromium)`,
    ).toBe(true);
    const bundle = await build({
      entryPoints: [join(project, 'browser.mjs')],
      absWorkingDir: project,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      // no `external`, no plugin: the packages must bundle for a browser as they are
      write: false,
      logLevel: 'silent',
    });
    const script = bundle.outputFiles[0].text;
    expect(script).not.toMatch(/packages\/(core|nn|backend-\w+)\/src\//); // no workspace source
    const wasm = readFileSync(join(project, 'node_modules/@rnnkit/backend-wasm/build/rnnkit.wasm'));
    const origin = 'http://rnnkit.test';
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.route(`${origin}/**`, (route) => {
        const path = new URL(route.request().url()).pathname;
        if (path === '/') {
          return route.fulfill({
            contentType: 'text/html',
            body: '<!doctype html><title>rnnkit</title><script type="module" src="/app.js"></script>',
          });
        }
        if (path === '/app.js')
          return route.fulfill({ contentType: 'text/javascript', body: script });
        if (path === '/rnnkit.wasm')
          return route.fulfill({ contentType: 'application/wasm', body: wasm });
        return route.fulfill({ status: 404, body: `not found: ${path}` });
      });
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => 'rnnkitResult' in globalThis);
      const result = (await page.evaluate(
        () => (globalThis as unknown as { rnnkitResult: Promise<unknown> }).rnnkitResult,
      )) as { error?: string; runs?: { backend: string; accuracy: number; describe: string }[] };
      expect(errors).toEqual([]);
      expect(result.error).toBeUndefined();
      expect(result.runs!.map((r) => r.backend)).toEqual(['cpu', 'wasm']);
      for (const run of result.runs!) expect(run.accuracy).toBeGreaterThan(0.9);
      expect(result.runs![1].describe).toMatch(/^wasm: AssemblyScript f32x4 SIMD kernels/);
    } finally {
      await browser.close();
    }
  });
});
