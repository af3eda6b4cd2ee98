import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  changesetPackages,
  checkChangesets,
  isShipped,
  userFieldsChanged,
} from '../../../scripts/check-changesets.mjs';

describe('changesetPackages', () => {
  it('reads the packages of the front matter, quoted or not', () => {
    const text =
      '---\n\'@rnnkit/nn\': minor\n"@rnnkit/core": patch\nfoo: major\n---\n\nText: minor\n';
    expect(changesetPackages(text)).toEqual(['@rnnkit/nn', '@rnnkit/core', 'foo']);
    expect(changesetPackages('no front matter')).toEqual([]);
  });
});

describe('isShipped', () => {
  const files = ['dist', 'src', '!src/**/*.test.ts', 'build/rnnkit.wasm', 'README.md'];
  it('counts shipped code and assets, not tests, prose or unshipped files', () => {
    expect(isShipped('src/a.ts', files)).toBe(true);
    expect(isShipped('build/rnnkit.wasm', files)).toBe(true);
    expect(isShipped('src/a.test.ts', files)).toBe(false);
    expect(isShipped('test/helpers.ts', files)).toBe(false);
    expect(isShipped('README.md', files)).toBe(false);
    expect(isShipped('vitest.config.ts', files)).toBe(false);
  });
});

describe('userFieldsChanged', () => {
  it('ignores scripts and devDependencies', () => {
    expect(
      userFieldsChanged(
        { scripts: { a: '1' }, devDependencies: { x: '1' }, exports: { '.': './a.js' } },
        { scripts: { a: '2' }, devDependencies: { x: '2' }, exports: { '.': './b.js' } },
      ),
    ).toEqual(['exports']);
  });
});

describe('checkChangesets on a repository', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root!, path)), { recursive: true });
    writeFileSync(join(root!, path), text);
  };
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const manifest = (name: string, version: string, extra: object = {}) =>
    `${JSON.stringify({ name, version, files: ['src'], ...extra })}\n`;

  function repository(): void {
    root = mkdtempSync(join(tmpdir(), 'rnnkit-changesets-'));
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 'test');
    write('.changeset/README.md', '# Changesets\n');
    write('packages/a/package.json', manifest('@x/a', '1.0.0'));
    write('packages/a/src/index.ts', 'export const a = 1;\n');
    write('packages/b/package.json', manifest('@x/b', '1.0.0'));
    write('packages/b/src/index.ts', 'export const b = 1;\n');
    write('packages/p/package.json', manifest('@x/private', '0.0.0', { private: true }));
    git('add', '-A');
    git('commit', '-qm', 'release 1.0.0');
  }

  it('passes when nothing shipped changed since the version bump', () => {
    repository();
    write('packages/a/src/index.test.ts', 'test\n');
    write('packages/p/src/x.ts', 'private\n');
    git('add', '-A');
    git('commit', '-qm', 'tests only');
    expect(checkChangesets(root!)).toEqual([]);
  });

  it('names a package whose code changed without a changeset, until one is added', () => {
    repository();
    write('packages/a/src/index.ts', 'export const a = 2;\n');
    git('commit', '-qam', 'change a');
    expect(checkChangesets(root!)).toMatchObject([{ name: '@x/a', files: ['src/index.ts'] }]);
    write('.changeset/a.md', "---\n'@x/a': patch\n---\n\na is 2\n");
    expect(checkChangesets(root!)).toEqual([]);
  });

  it('counts user-facing manifest fields, and starts over after a version bump', () => {
    repository();
    write('packages/b/package.json', manifest('@x/b', '1.0.0', { dependencies: { y: '1' } }));
    git('commit', '-qam', 'b depends on y');
    expect(checkChangesets(root!)).toMatchObject([{ name: '@x/b', fields: ['dependencies'] }]);
    // `pnpm version-packages`: versions bumped, changesets consumed
    write('packages/b/package.json', manifest('@x/b', '1.1.0', { dependencies: { y: '1' } }));
    git('commit', '-qam', 'version packages');
    expect(checkChangesets(root!)).toEqual([]);
  });

  it('deepens a shallow clone, and refuses one it cannot deepen', () => {
    repository();
    write('packages/a/src/index.ts', 'export const a = 2;\n');
    git('commit', '-qam', 'change a');
    const origin = root!;
    const clone = (dir: string) =>
      execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin}`, dir], {
        stdio: 'ignore',
      });
    const deepened = mkdtempSync(join(tmpdir(), 'rnnkit-shallow-'));
    const stranded = mkdtempSync(join(tmpdir(), 'rnnkit-shallow-'));
    try {
      clone(deepened);
      clone(stranded);
      // with its origin at hand the clone is deepened and the check sees the history
      expect(checkChangesets(deepened)).toMatchObject([{ name: '@x/a' }]);
      rmSync(origin, { recursive: true, force: true });
      expect(() => checkChangesets(stranded)).toThrow(/shallow clone/);
    } finally {
      rmSync(deepened, { recursive: true, force: true });
      rmSync(stranded, { recursive: true, force: true });
    }
  });
});
