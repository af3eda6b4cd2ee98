/**
 * The layering of the workspace, checked on every import of every source and test file:
 * core <- backends <- nn <- apps, with the conformance suite and the workspace's test packages
 * above the library. Run by `pnpm lint:deps` (part of `scripts/test-all.sh`); the fixture test
 * in scripts/layering.test.mjs shows that an upward import fails it.
 * No violation is whitelisted: a backend's tests compare it with cpu through @rnnkit/conformance,
 * never by importing another backend.
 */
const BACKEND = 'backend-[^/]+';
const TEST_FILE = '(\\.test\\.[cm]?ts$|/test/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-depends-on-nothing',
      comment: 'core knows no backend, layer or tool: everything else is built on it',
      severity: 'error',
      from: { path: '^packages/core/' },
      to: { path: '^(packages/(?!core/)|apps/|docs/|tests/)' },
    },
    {
      name: 'backend-depends-only-on-core',
      comment:
        'a backend depends on core (and in its tests on the test helpers), never on another backend, nn or anything above',
      severity: 'error',
      from: { path: `^packages/(${BACKEND})/` },
      to: {
        path: '^(packages/|apps/|docs/|tests/)',
        pathNot: '^packages/($1|core|test-utils|testing)/',
      },
    },
    {
      name: 'test-helpers-depend-only-on-core',
      comment: 'the test helpers sit just above core so that every layer can use them',
      severity: 'error',
      from: { path: '^packages/(test-utils|testing)/' },
      to: {
        path: '^(packages/|apps/|docs/|tests/)',
        pathNot: '^packages/(core|test-utils|testing)/',
      },
    },
    {
      name: 'nn-never-on-a-particular-backend',
      comment: 'nn runs on whatever backend the application chose; only its tests pick one',
      severity: 'error',
      from: { path: '^packages/nn/', pathNot: TEST_FILE },
      to: { path: `^packages/${BACKEND}/` },
    },
    {
      name: 'nn-below-conformance-and-apps',
      severity: 'error',
      from: { path: '^packages/nn/' },
      to: { path: '^(packages/(conformance|readme-tests)/|apps/|docs/|tests/)' },
    },
    {
      name: 'conformance-below-apps',
      comment: 'the conformance suite checks the library; no application is part of it',
      severity: 'error',
      from: { path: '^packages/conformance/' },
      to: { path: '^(packages/readme-tests/|apps/|docs/|tests/)' },
    },
    {
      name: 'no-import-cycles',
      comment:
        'modules form no cycle at run time (a kernel importing its backend class as a type is not one)',
      severity: 'error',
      // AssemblyScript sources compile into one wasm module: their import order means nothing at run time.
      from: { path: '^(packages|apps)/', pathNot: '^packages/[^/]+/assembly/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-unresolvable-workspace-import',
      comment:
        'an import of the workspace that does not resolve is a typo or an undeclared dependency',
      severity: 'error',
      from: { path: '^(packages|apps)/' },
      to: { couldNotResolve: true, path: '^@rnnkit/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|build|\\.turbo)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      conditionNames: ['source', 'import', 'types', 'default'],
      extensions: ['.ts', '.mts', '.js', '.mjs', '.cjs', '.json'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
