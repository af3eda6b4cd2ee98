/**
 * The conformance suite on the wasm backend, compared kernel by kernel with cpu. Its only
 * exclusions follow from its declared dtypes: no float64 storage.
 */
import '@rnnkit/backend-wasm';
import { describeConformance } from '../src/vitest.js';

await describeConformance('wasm', {
  unsupportedDTypes: {
    float64:
      'wasm stores float32 and int32 only; gradient formulas are backend-independent compositions ' +
      "checked on cpu, and wasm's own RnnBackward is checked against cpu under kernel/RnnBackward",
  },
});
