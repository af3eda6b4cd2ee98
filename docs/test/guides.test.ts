/**
 * Every ```ts block of the guides (docs/guides/*.md) and of the site's landing page
 * (docs/index.md) type-checks under docs/tsconfig.json and runs, one test per block, through
 * test-utils' Markdown runner, so a guide cannot rot. Blocks run from the repository root (as a
 * reader runs them, e.g. reading `docs/data/...`) with `check` in scope (declared for the type
 * check in types/guide-globals). Guide 6, writing-a-backend.md, runs in @rnnkit/conformance's
 * tests (packages/conformance/test/guide.test.ts), with the conformance package it exercises.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as backendCpu from '@rnnkit/backend-cpu';
import * as backendWasm from '@rnnkit/backend-wasm';
import * as core from '@rnnkit/core';
import * as nn from '@rnnkit/nn';
import * as nnNode from '@rnnkit/nn/node';
import { check, markdownExampleTests } from '@rnnkit/test-utils';
import { beforeAll } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const guides = join(root, 'docs', 'guides');

beforeAll(() => process.chdir(root));

markdownExampleTests({
  files: [
    join(root, 'docs', 'index.md'),
    ...readdirSync(guides)
      .filter((f) => f.endsWith('.md') && f !== 'writing-a-backend.md')
      .sort()
      .map((f) => join(guides, f)),
  ],
  rootDir: root,
  tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
  scope: { check },
  modules: {
    '@rnnkit/core': core,
    '@rnnkit/nn': nn,
    '@rnnkit/nn/node': nnNode,
    '@rnnkit/backend-cpu': backendCpu,
    '@rnnkit/backend-wasm': backendWasm,
  },
  beforeEachExample: () => core.setSeed(0),
});
