/**
 * Guide 6, docs/guides/writing-a-backend.md, runs here, next to the package it exercises (the
 * docs package runs the other guides): every ```ts block type-checks (test/guide/tsconfig.json,
 * `check` declared global) and runs through test-utils' Markdown runner. Its ```js backend
 * module is run from the packed tarballs by test-install/third_party_backend.test.mjs.
 */
import { fileURLToPath } from 'node:url';
import * as backendCpu from '@rnnkit/backend-cpu';
import * as core from '@rnnkit/core';
import { check, markdownExampleTests } from '@rnnkit/test-utils';
import { afterAll } from 'vitest';
import * as conformance from '../src/index.js';
import * as conformanceVitest from '../src/vitest.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

afterAll(() => {
  if (core.listBackends().includes('my-backend')) core.removeBackend('my-backend');
});

markdownExampleTests({
  files: [fileURLToPath(new URL('../../../docs/guides/writing-a-backend.md', import.meta.url))],
  rootDir: root,
  tsconfig: fileURLToPath(new URL('guide/tsconfig.json', import.meta.url)),
  scope: { check },
  modules: {
    '@rnnkit/core': core,
    '@rnnkit/backend-cpu': backendCpu,
    '@rnnkit/conformance': conformance,
    '@rnnkit/conformance/vitest': conformanceVitest,
  },
});
