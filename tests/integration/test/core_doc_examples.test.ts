/**
 * Runs every ```ts block inside an `@example` tag of core's `src/**` as a test named
 * `file:line`, with the public API of `@rnnkit/core` and `check(actual, expected)` in scope, on
 * the cpu backend. Here rather than in core because the examples need a concrete backend and
 * test-utils, which both depend on core (a cycle if core listed them).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as backendCpu from '@rnnkit/backend-cpu';
import * as core from '@rnnkit/core';
import { check, docExampleTests, mergeScopes } from '@rnnkit/test-utils';

/** core's sources, found through its package (no path into another package written here). */
const coreSrc = join(
  dirname(createRequire(import.meta.url).resolve('@rnnkit/core/package.json')),
  'src',
);

docExampleTests({
  srcDir: coreSrc,
  scope: mergeScopes(core, { check }),
  modules: { '@rnnkit/core': core, '@rnnkit/backend-cpu': backendCpu },
  setup: () => core.setBackend('cpu'),
  beforeEachExample: () => core.setSeed(0),
});
