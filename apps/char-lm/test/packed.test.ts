// The app runs from a packed install: the library packages and the app packed with `pnpm pack`,
// installed with npm into an empty directory outside the workspace (no workspace path, no
// registry, and no gpujs backend or native `gl` module), then trained, sampled and evaluated.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const PACKAGES = [
  'packages/core',
  'packages/nn',
  'packages/backend-cpu',
  'packages/backend-wasm',
  'apps/app-kit',
  'apps/char-lm',
];

describe('packed install', () => {
  it('installs from tarballs alone and trains, samples and evaluates', () => {
    for (const p of PACKAGES)
      if (!existsSync(join(repo, p, 'dist')))
        throw new Error(
          `${p}/dist is missing: build first (pnpm exec turbo run build --filter=@rnnkit/char-lm...)`,
        );
    const root = tempDir('char-lm-packed-');
    const tarballs = join(root, 'tarballs');
    for (const p of PACKAGES)
      execFileSync('pnpm', ['pack', '--pack-destination', tarballs], {
        cwd: join(repo, p),
        stdio: 'pipe',
      });
    const app = join(root, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), '{ "name": "packed-char-lm", "private": true }\n');
    const files = readdirSync(tarballs).map((f) => join(tarballs, f));
    execFileSync(
      'npm',
      [
        'install',
        '--offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--loglevel=error',
        ...files,
      ],
      {
        cwd: app,
        stdio: 'pipe',
      },
    );
    expect(readdirSync(join(app, 'node_modules', '@rnnkit')).sort()).toEqual([
      'app-kit',
      'backend-cpu',
      'backend-wasm',
      'char-lm',
      'core',
      'nn',
    ]);
    const installed = readFileSync(
      join(app, 'node_modules', '@rnnkit', 'char-lm', 'package.json'),
      'utf8',
    );
    expect(installed).not.toContain('workspace:');

    const bin = join(app, 'node_modules', '.bin', 'rnnkit-char-lm');
    const run = (...args: string[]) =>
      spawnSync(bin, args, { cwd: app, encoding: 'utf8', env: { ...process.env, INIT_CWD: app } });
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: rnnkit-char-lm/);
    // the shipped corpus is found from the install (a slice keeps the run short)
    writeFileSync(
      join(app, 'slice.txt'),
      readFileSync(
        join(app, 'node_modules', '@rnnkit', 'char-lm', 'data', 'tinyshakespeare.txt'),
        'utf8',
      ).slice(0, 8_000),
    );
    const train = run(
      'train',
      '--text',
      'slice.txt',
      '--steps',
      '4',
      '--layers',
      '1',
      '--hidden',
      '16',
      '--embed',
      '8',
      '--seq',
      '16',
      '--batch',
      '4',
      '--out',
      'run',
    );
    expect(train.stderr).toBe('');
    expect(train.status).toBe(0);
    expect(train.stdout).toMatch(/on wasm.*\n(.|\n)*done: 4 steps/);
    const sample = run('sample', '--model', 'run', '--prime', 'First', '--length', '25');
    expect(sample.status).toBe(0);
    expect(sample.stdout).toMatch(/^First[\s\S]{25}\n$/);
    expect(run('eval', '--model', 'run').stdout).toMatch(/nats\/char .* bits\/char .* perplexity/);
    const gpu = run('sample', '--model', 'run', '--backend', 'gpujs');
    expect(gpu.status).toBe(2);
    expect(gpu.stderr).toMatch(/--backend gpujs: @rnnkit\/backend-gpujs is not installed/);
  });
});
