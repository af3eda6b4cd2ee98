/**
 * `@rnnkit/conformance`: the backend conformance suite of rnnkit. One suite runs unchanged
 * against every registered backend, with each backend's exclusions listed explicitly:
 * PyTorch golden fixtures (outputs, final states, every gradient), every kernel of the
 * catalogue against the cpu reference, and every op's gradient against finite differences.
 *
 * @packageDocumentation
 */

export {
  BackendLoadError,
  backendPackageName,
  exclusionMatches,
  findExclusion,
  loadBackendPackage,
} from './backends.js';
export type { CliArgs, CliEnvironment } from './cli.js';
export { CLI_USAGE, parseCliArgs, runConformanceCli, UsageError } from './cli.js';
export type { Comparison, TensorCheck } from './compare.js';
export { accurateDot, accurateSum, checkTensor, compareValues, formatError } from './compare.js';
export type {
  FixtureResult,
  FixtureRoute,
  NnModule,
  RecurrentLayerLike,
  RunFixtureOptions,
} from './fixture_runner.js';
export { formatFixtureResult, loadNn, runFixture } from './fixture_runner.js';
export type { Fixture, FixtureEntry, FixtureTensor } from './fixtures.js';
export {
  FixtureSchemaError,
  fixturesDirFromEnv,
  isFixtureFile,
  loadFixtureDir,
  loadFixtureFile,
  parseFixture,
  parseFixtureTensor,
  pytorchParamNames,
  pytorchParamShape,
  shippedFixturesDir,
} from './fixtures.js';
export type {
  GradientCheck,
  GradientCheckOptions,
  GradientCheckResult,
  GradientProblem,
} from './gradient_checks.js';
export {
  checkGradientProblem,
  gradientChecks,
  NON_DIFFERENTIABLE_OPS,
  runGradientCheck,
} from './gradient_checks.js';
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
export type {
  AnyKernelCase,
  ExpectedOutput,
  HostInputs,
  KernelCase,
  KernelCaseResult,
  RnnCase,
  RunKernelCaseOptions,
} from './kernel_cases.js';
export { kernelCases, rnnCases, runKernelCase } from './kernel_cases.js';
export {
  ORACLE_BINARY,
  ORACLE_UNARY,
  oracleAdamUpdate,
  oracleArgMax,
  oracleBinary,
  oracleCast,
  oracleConcat,
  oracleGather,
  oracleMatMul,
  oracleOneHot,
  oraclePad,
  oracleReduce,
  oracleReverse,
  oracleScatterAdd,
  oracleSlice,
  oracleSoftmax,
  oracleTranspose,
  oracleUnary,
} from './oracle.js';
export type { ConformanceOptions } from './suite.js';
export { describeConformance } from './suite.js';
export type { FixtureTolerance, RnnSizes, ToleranceOverrides, Tolerances } from './tolerances.js';
export {
  kernelTolerance,
  resolveTolerances,
  rnnKernelTolerance,
  TOLERANCES,
  UNIT_ROUNDOFF,
  unitRoundoff,
} from './tolerances.js';
