/**
 * `@rnnkit/test-utils`: test helpers shared by the rnnkit packages' tests. Private; depends on
 * `@rnnkit/core` and `@rnnkit/testing` (whose host tensor, error measure and fixture parser it
 * re-exports, so that tests import one package), and on vitest and esbuild for the runners.
 *
 * @packageDocumentation
 */

export type { Fixture, FixtureTensor, HostTensor } from '@rnnkit/testing';
export { compareValues, finiteScale, hostTensor } from '@rnnkit/testing';
export type { Closeness } from './compare.js';
export { expectClose, expectWithin } from './compare.js';
export type {
  DocExample,
  DocExampleContext,
  DocExampleScan,
  DocExampleTestOptions,
} from './doc_examples.js';
export {
  check,
  compileDocExample,
  docExampleTests,
  extractDocExamples,
  extractDocExamplesFromText,
  mergeScopes,
  runDocExample,
} from './doc_examples.js';
export type { FixtureRun } from './fixture_runner.js';
export { columns, runFixture, setColumns } from './fixture_runner.js';
export { FIXTURES_DIR, FIXTURES_PATH, loadFixtures } from './fixtures.js';
export type { MarkdownExampleTestOptions } from './markdown_examples.js';
export {
  extractMarkdownExamples,
  extractMarkdownExamplesFromText,
  markdownExampleTests,
  typecheckExamples,
} from './markdown_examples.js';
export type { RandomSource } from './random.js';
export { integers, mulberry32, uniform } from './random.js';
export type {
  BackwardResult,
  ForwardResult,
  RnnCotangents,
  RnnGradients,
  RnnProblem,
  RnnProblemOptions,
} from './rnn.js';
export {
  randomCotangents,
  randomRnnProblem,
  rnnLoss,
  runBackward,
  runForward,
  runTraining,
  writeRnnInputs,
} from './rnn.js';
export type { RnnPathResult } from './rnn_paths.js';
export { runRnnPath } from './rnn_paths.js';
export type { HostInput, HostInputs } from './tensors.js';
export { disposeAll, get, put, runKernel, zeros } from './tensors.js';
