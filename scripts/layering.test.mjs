// Shows that the layering check (.dependency-cruiser.cjs) fails on a violation: it runs the
// checker, with the repository's own rules, on throwaway workspaces in a temporary directory
// (never in the source tree, which other processes may be reading) and expects each planted
// upward or sideways import, and a run-time import cycle, to be reported by its rule.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');
const config = join(root, '.dependency-cruiser.cjs');

/** A legal little workspace: core at the bottom, a backend and nn on it, an app on top. */
const LEGAL = {
  'packages/core/src/index.ts': 'export const core = 1;\n',
  'packages/backend-cpu/src/index.ts':
    "import { core } from '../../core/src/index.js';\nexport const cpu = core;\n",
  'packages/backend-wasm/src/index.ts':
    "import { core } from '../../core/src/index.js';\nexport const wasm = core;\n",
  'packages/nn/src/index.ts':
    "import { core } from '../../core/src/index.js';\nexport const nn = core;\n",
  'packages/nn/src/index.test.ts':
    "import { cpu } from '../../backend-cpu/src/index.js';\nexport const t = cpu;\n",
  'apps/demo/src/cli.ts':
    "import { cpu } from '../../../packages/backend-cpu/src/index.js';\nimport { nn } from '../../../packages/nn/src/index.js';\nexport const run = cpu + nn;\n",
};

/** Runs the checker on a workspace made of `files`; returns its exit status and report. */
function cruise(files) {
  const dir = mkdtempSync(join(tmpdir(), 'rnnkit-layering-'));
  try {
    writeFileSync(
      join(dir, 'tsconfig.base.json'),
      '{ "compilerOptions": { "module": "NodeNext" } }\n',
    );
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const r = spawnSync(
      depcruise,
      ['packages', 'apps', '--config', config, '--output-type', 'err'],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    return { status: r.status, report: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const TYPE_ONLY_CYCLE = {
  'packages/core/src/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
  'packages/core/src/b.ts':
    "import type { a } from './a.js';\nexport const b = (f: typeof a) => f;\n",
};

test('a workspace that keeps the layering passes, type-only import cycles included', () => {
  const { status, report } = cruise({ ...LEGAL, ...TYPE_ONLY_CYCLE });
  assert.equal(status, 0, report);
});

/** One planted violation per rule: [rule, file, its text]. */
const VIOLATIONS = [
  [
    'core-depends-on-nothing',
    'packages/core/src/upward.ts',
    "import { nn } from '../../nn/src/index.js';\nexport const u = nn;\n",
  ],
  [
    'core-depends-on-nothing',
    'packages/core/src/upward.test.ts',
    "import { cpu } from '../../backend-cpu/src/index.js';\nexport const u = cpu;\n",
  ],
  [
    'backend-depends-only-on-core',
    'packages/backend-wasm/src/sideways.ts',
    "import { cpu } from '../../backend-cpu/src/index.js';\nexport const s = cpu;\n",
  ],
  [
    'nn-never-on-a-particular-backend',
    'packages/nn/src/pinned.ts',
    "import { wasm } from '../../backend-wasm/src/index.js';\nexport const p = wasm;\n",
  ],
  [
    'conformance-below-apps',
    'packages/conformance/src/app.ts',
    "import { run } from '../../../apps/demo/src/cli.js';\nexport const a = run;\n",
  ],
  [
    'no-import-cycles',
    'packages/core/src/b.ts',
    "import { a } from './a.js';\nexport const b = () => a;\n",
  ],
];

test('every planted upward or sideways import, and a run-time cycle, fails by its rule', () => {
  const planted = Object.fromEntries(VIOLATIONS.map(([, path, text]) => [path, text]));
  const { status, report } = cruise({ ...LEGAL, ...TYPE_ONLY_CYCLE, ...planted });
  assert.notEqual(status, 0, report);
  for (const [rule, path] of VIOLATIONS) {
    const cycleMember = rule === 'no-import-cycles' ? 'packages/core/src/(a|b)\\.ts' : path;
    assert.match(report, new RegExp(`error ${rule}: ${cycleMember}`), `${rule} on ${path}`);
  }
  assert.match(report, new RegExp(`${VIOLATIONS.length} dependency violations`));
});
