import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectPackage, packageOf } from './tarball.js';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** An unpacked package made of `files` (path → text). */
function unpacked(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), 'rnnkit-pkg-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const manifest = (extra: object = {}) =>
  JSON.stringify({ name: '@x/lib', dependencies: { '@x/core': '1.0.0' }, ...extra });

describe('inspectPackage', () => {
  it('accepts a clean package', () => {
    const dir = unpacked({
      'package.json': manifest(),
      'dist/index.js': [
        "import { a } from '@x/core';",
        "import fs from 'node:fs';",
        "import path from 'path';",
        "export * from './b.js';",
        "const wasm = new URL('../build/m.wasm', import.meta.url);",
        "const dir = new URL('../data/', import.meta.url);",
        "throw new Error(`cannot import 'vitest' here`); // text, not an import",
        "/** @example import { c } from 'vitest'; */",
      ].join('\n'),
      'dist/b.js': "export const b = await import('@x/lib/extra');",
      'build/m.wasm': '',
      'data/one.json': '{}',
    });
    expect(inspectPackage(dir)).toEqual([]);
  });

  it('names test files, undeclared imports, local ranges and assets outside the package', () => {
    const dir = unpacked({
      'package.json': manifest({ peerDependencies: { '@x/other': 'workspace:*' } }),
      'src/test-utils/helpers.ts': "import { expect } from 'vitest';",
      'src/a.test.ts': '',
      'dist/index.js': "const f = new URL('../../shared/fixtures/', import.meta.url);",
      'dist/types.d.ts': "import type { T } from '@scope/dev-only/sub';",
    });
    expect(inspectPackage(dir).sort()).toEqual(
      [
        '@x/lib: ships a test file or test helper: src/test-utils/helpers.ts',
        '@x/lib: ships a test file or test helper: src/a.test.ts',
        "@x/lib: peerDependencies.@x/other is 'workspace:*'",
        "@x/lib: src/test-utils/helpers.ts imports 'vitest', which is not a dependency",
        "@x/lib: dist/types.d.ts imports '@scope/dev-only/sub', which is not a dependency",
        "@x/lib: dist/index.js loads '../../shared/fixtures/' (../shared/fixtures), which is not in the package",
      ].sort(),
    );
  });
});

describe('packageOf', () => {
  it('keeps the scope of scoped packages', () => {
    expect(packageOf('@rnnkit/nn/node')).toBe('@rnnkit/nn');
    expect(packageOf('gpu.js')).toBe('gpu.js');
    expect(packageOf('lodash/fp')).toBe('lodash');
  });
});
