/**
 * `@rnnkit/testing`: the backend-independent checking tools of rnnkit, written once and shared
 * by the conformance suite (which re-exports them) and the workspace's own tests — host
 * tensors, the error measure every comparison uses, and the strict parser of the PyTorch
 * golden fixtures. Its own package because both the published suite and the private test
 * helpers (`@rnnkit/test-utils`, used by the backends the suite depends on) need it, and
 * neither may depend on the other.
 *
 * @packageDocumentation
 */

export type { Comparison, TensorCheck } from './compare.js';
export {
  accurateDot,
  accurateSum,
  checkTensor,
  compareValues,
  finiteScale,
  formatError,
} from './compare.js';
export type { Fixture, FixtureEntry, FixtureSet, FixtureTensor } from './fixtures.js';
export {
  FixtureSchemaError,
  isFixtureFile,
  loadFixtureDir,
  loadFixtureFile,
  loadFixtureSet,
  parseFixture,
  parseFixtureTensor,
  pytorchParamNames,
  pytorchParamShape,
} from './fixtures.js';
export type { HostTensor } from './host.js';
export {
  awayFromZeroTensor,
  hostTensor,
  intTensor,
  rngFor,
  shapeText,
  stridesOf,
  uniformTensor,
  unravel,
} from './host.js';
