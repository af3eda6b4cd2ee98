/**
 * Runs every ```ts block inside an `@example` tag of `src/**` as a test named `file:line`, with
 * the public API of `@rnnkit/core` and `@rnnkit/nn` and `check(actual, expected)` in scope, on
 * the cpu backend. Examples may also `import` from `@rnnkit/nn/node` and `node:` built-ins.
 */

import { fileURLToPath } from 'node:url';
import * as backendCpu from '@rnnkit/backend-cpu';
import * as core from '@rnnkit/core';
import { check, docExampleTests, mergeScopes } from '@rnnkit/test-utils';
import * as nn from './index.js';
import * as nnNode from './io/node.js';

docExampleTests({
  srcDir: fileURLToPath(new URL('.', import.meta.url)),
  scope: mergeScopes(core, nn, { check }),
  modules: {
    '@rnnkit/core': core,
    '@rnnkit/nn': nn,
    '@rnnkit/nn/node': nnNode,
    '@rnnkit/backend-cpu': backendCpu,
  },
  setup: () => core.setBackend('cpu'),
  beforeEachExample: () => core.setSeed(0),
});
