/**
 * The conformance suite as a third party uses it: a backend written outside the workspace (the
 * cpu backend under another name: the module of docs/guides/writing-a-backend.md), the packed @rnnkit/* tarballs installed next to it with npm
 * (no workspace, no `source` condition), and `npx rnnkit-conformance --backend-module`. The
 * backend passes; the same backend with tanh off by 1e-3 fails exactly the cases that call
 * tanh, and the JSON report says which. Needs the packages built (`pnpm build`) and the npm
 * registry (for fast-check); runs with `node --test` (see the package's `test:install`).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { packPackages } from '../../../scripts/pack-packages.mjs';

const GUIDE = fileURLToPath(new URL('../../../docs/guides/writing-a-backend.md', import.meta.url));

/** The guide's backend module: its ```js block, which starts with `// my-backend.js`. */
function guideBackendModule() {
  const m = /```js\n(\/\/ my-backend\.js\n[\s\S]*?)```/.exec(readFileSync(GUIDE, 'utf8'));
  assert.ok(m, `${GUIDE} has no \`\`\`js block starting with // my-backend.js`);
  return m[1];
}

// The same backend with tanh off by 1e-3, registered when imported (the other way a module
// can provide a backend), through the Backend interface only: read the cpu kernel's output,
// shift it, store it anew.
const BROKEN_BACKEND = `import { CpuBackend, cpuKernels } from '@rnnkit/backend-cpu';
import { registerBackend } from '@rnnkit/core';

function brokenUnary(inputs, attrs, backend) {
  const out = cpuKernels.Unary(inputs, attrs, backend);
  if (attrs.op !== 'tanh') return out;
  const values = backend.readSync(out.y.dataId);
  for (let i = 0; i < values.length; i++) values[i] += 1e-3;
  backend.disposeData(out.y.dataId);
  return { y: { ...out.y, dataId: backend.write(values, out.y.shape, out.y.dtype) } };
}

class BrokenBackend extends CpuBackend {
  name = 'my-backend-broken-tanh';
  kernels = { ...cpuKernels, Unary: brokenUnary };
}

registerBackend('my-backend-broken-tanh', () => new BrokenBackend());
`;

let project;

/** `npx rnnkit-conformance ...args` in the project: exit status, stdout lines, stderr. */
function conformance(...args) {
  const r = spawnSync('npx', ['--no-install', 'rnnkit-conformance', ...args], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, INIT_CWD: project, NODE_OPTIONS: '' },
  });
  return { status: r.status, lines: r.stdout.trim().split('\n'), stderr: r.stderr };
}

before(() => {
  project = mkdtempSync(join(tmpdir(), 'rnnkit-third-party-'));
  const tarballs = packPackages({
    outDir: join(project, 'tarballs'),
    packages: ['@rnnkit/conformance'],
  }).map((p) => p.tarball);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'my-backend', private: true, type: 'module' }),
  );
  writeFileSync(join(project, 'my-backend.js'), guideBackendModule());
  writeFileSync(join(project, 'my-backend-broken.js'), BROKEN_BACKEND);
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', '--ignore-scripts', ...tarballs],
    { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] },
  );
});

after(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

test('a third-party backend installed from the tarballs passes the whole suite', () => {
  const r = conformance('--backend-module', './my-backend.js', '--json', 'pass.json');
  assert.equal(r.status, 0, r.stderr);
  const total = r.lines.at(-1);
  assert.match(total, /^\d+ passed, 0 failed$/);
  for (const part of ['fixtures', 'kernels', 'gradients'])
    assert.ok(
      r.lines.some((l) => new RegExp(`^${part}: \\d+ passed, 0 failed$`).test(l)),
      part,
    );
  const report = JSON.parse(readFileSync(join(project, 'pass.json'), 'utf8'));
  assert.equal(report.backend.name, 'my-backend');
  assert.equal(report.backend.description, 'my-backend: the cpu kernels under another name');
  assert.ok(r.stderr.includes('backend my-backend: my-backend: the cpu kernels'), r.stderr);
  // The installed package's own fixtures, not the workspace's.
  assert.deepEqual(report.fixtureDirs, [
    join(project, 'node_modules', '@rnnkit', 'conformance', 'fixtures'),
  ]);
  assert.equal(report.summary.fixtures.passed, 4 * 23);
  console.log(`my-backend: ${total}`);
});

test('tanh off by 1e-3 fails exactly the cases that call tanh, and the report says which', () => {
  const r = conformance('--backend-module', './my-backend-broken.js', '--json', 'broken.json');
  assert.equal(r.status, 1, r.stderr);
  const report = JSON.parse(readFileSync(join(project, 'broken.json'), 'utf8'));
  const failed = report.cases.filter((c) => c.status === 'failed').map((c) => c.id);
  const usingTanh = report.cases.filter((c) => c.kernels.includes('Unary/tanh')).map((c) => c.id);
  assert.ok(failed.length > 0);
  assert.deepEqual(failed, usingTanh);
  assert.ok(failed.includes('kernel/Unary/float32/tanh/[17, 3]'));
  assert.equal(r.lines.at(-1), `${report.summary.total.passed} passed, ${failed.length} failed`);
  for (const id of failed)
    assert.ok(
      r.lines.some((l) => l.startsWith(`FAIL ${id}  `)),
      id,
    );
  console.log(`my-backend-broken-tanh: ${r.lines.at(-1)}; failed:\n  ${failed.join('\n  ')}`);
});
