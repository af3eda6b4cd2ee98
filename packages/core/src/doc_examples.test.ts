/**
 * Runs every ```ts block inside an `@example` tag of `src/**` as a test named `file:line`, with
 * the public API of `@rnnkit/core` and `check(actual, expected)` in scope, on the cpu backend.
 *
 * `@rnnkit/backend-cpu` and `@rnnkit/test-utils` depend on core, so core cannot list them
 * (turbo rejects cycles): they resolve through the workspace root's devDependencies.
 */

import { fileURLToPath } from 'node:url';
import * as backendCpu from '@rnnkit/backend-cpu';
import { check, docExampleTests, mergeScopes } from '@rnnkit/test-utils';
import * as core from './index.js';

docExampleTests({
  srcDir: fileURLToPath(new URL('.', import.meta.url)),
  scope: mergeScopes(core, { check }),
  modules: { '@rnnkit/core': core, '@rnnkit/backend-cpu': backendCpu },
  setup: () => core.setBackend('cpu'),
  beforeEachExample: () => core.setSeed(0),
});
