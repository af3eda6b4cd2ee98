/**
 * The conformance suite on the wasm backend, compared kernel by kernel with cpu. Exclusions:
 * exactly what needs float64, which wasm does not store.
 */
import '@rnnkit/backend-wasm';
import { FIXTURES_PATH } from '@rnnkit/test-utils';
import { describeConformance, fixturesDirFromEnv } from '../src/index.js';

const shipped = FIXTURES_PATH;

describeConformance('wasm', {
  fixturesDir: fixturesDirFromEnv(shipped),
  exclusions: {
    // wasm stores float32 and int32 only (its Backend.dtypes has no float64).
    'fixture/float64': 'wasm has no float64 storage; the float32 fixtures run instead',
    'kernel/*/float64': 'wasm has no float64 storage',
    'kernel/Cast/float32/to-float64': 'wasm has no float64 storage',
    'kernel/Cast/int32/to-float64': 'wasm has no float64 storage',
    gradient:
      'finite differences need float64, which wasm lacks; gradient formulas are backend-independent ' +
      "compositions checked on cpu, and wasm's own RnnBackward is checked against cpu under kernel/RnnBackward",
  },
});
