/**
 * The conformance suite on the cpu backend, the reference: nothing is excluded. Kernels are
 * checked against the host oracle and core's composed recurrent reference (comparing cpu with
 * itself would prove nothing). Fixtures: `$RNNKIT_FIXTURES`, else the monorepo's shipped ones.
 */
import '@rnnkit/backend-cpu';
import { FIXTURES_PATH } from '@rnnkit/test-utils';
import { describeConformance, fixturesDirFromEnv } from '../src/index.js';

const shipped = FIXTURES_PATH;

describeConformance('cpu', {
  fixturesDir: fixturesDirFromEnv(shipped),
  exclusions: {},
});
