/**
 * Every ```ts block of every README — the root's, each package's and each app's — type-checks
 * under this package's tsconfig (the repo's base options, `source` condition) and runs, one
 * test per block, through test-utils' Markdown runner. Blocks import what they use from the
 * modules listed here; each picks its own backend.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as backendCpu from '@rnnkit/backend-cpu';
import * as backendGpujs from '@rnnkit/backend-gpujs';
import * as backendWasm from '@rnnkit/backend-wasm';
import * as conformance from '@rnnkit/conformance';
import * as core from '@rnnkit/core';
import * as nn from '@rnnkit/nn';
import * as nnNode from '@rnnkit/nn/node';
import { markdownExampleTests } from '@rnnkit/test-utils';
import * as testing from '@rnnkit/testing';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** `dir/<each subdirectory>/README.md` that exists, sorted. */
function readmesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(root, dir, e.name, 'README.md'))
    .filter((p) => existsSync(p))
    .sort();
}

markdownExampleTests({
  files: [join(root, 'README.md'), ...readmesUnder('packages'), ...readmesUnder('apps')],
  rootDir: root,
  tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
  scope: {},
  modules: {
    '@rnnkit/core': core,
    '@rnnkit/nn': nn,
    '@rnnkit/nn/node': nnNode,
    '@rnnkit/backend-cpu': backendCpu,
    '@rnnkit/backend-wasm': backendWasm,
    '@rnnkit/backend-gpujs': backendGpujs,
    '@rnnkit/conformance': conformance,
    '@rnnkit/testing': testing,
  },
  beforeEachExample: () => core.setSeed(0),
});
