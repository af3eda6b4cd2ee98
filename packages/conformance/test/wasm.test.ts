/**
 * The conformance suite on the wasm backend, compared kernel by kernel with cpu. Its only
 * exclusions are derived by the suite from the backend's declared `dtypes` (no float64), so
 * nothing is listed here.
 */
import '@rnnkit/backend-wasm';
import { describeConformance } from '../src/vitest.js';

await describeConformance('wasm');
