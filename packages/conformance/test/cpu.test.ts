/**
 * The conformance suite on the cpu backend, the reference: nothing is excluded. Kernels are
 * checked against the host oracle and core's composed recurrent reference (comparing cpu with
 * itself would prove nothing). Fixtures: `$RNNKIT_FIXTURES`, else the ones this package ships.
 */
import '@rnnkit/backend-cpu';
import { describeConformance } from '../src/vitest.js';

await describeConformance('cpu');
