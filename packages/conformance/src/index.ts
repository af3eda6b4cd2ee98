/**
 * `@rnnkit/conformance`: the backend conformance suite of rnnkit. One suite runs unchanged
 * against any backend — PyTorch golden fixtures (outputs, final states, every gradient),
 * every kernel of the catalogue against the cpu reference, and every op's gradient against
 * finite differences — with what a backend does not support declared and reported as
 * excluded. Run it with the `rnnkit-conformance` command, with {@link runConformance} from
 * any test runner, or with `describeConformance` from `@rnnkit/conformance/vitest`.
 *
 * @packageDocumentation
 */

// The host tensors, the error measure and the fixture parser are `@rnnkit/testing`'s; the
// suite's public face keeps offering them.
export type {
  Comparison,
  Fixture,
  FixtureEntry,
  FixtureSet,
  FixtureTensor,
  HostTensor,
  TensorCheck,
} from '@rnnkit/testing';
export {
  accurateDot,
  accurateSum,
  awayFromZeroTensor,
  checkTensor,
  compareValues,
  FixtureSchemaError,
  formatError,
  hostTensor,
  intTensor,
  isFixtureFile,
  loadFixtureDir,
  loadFixtureFile,
  loadFixtureSet,
  parseFixture,
  parseFixtureTensor,
  pytorchParamNames,
  pytorchParamShape,
  rngFor,
  shapeText,
  stridesOf,
  uniformTensor,
  unravel,
} from '@rnnkit/testing';
export type { LoadBackendModuleOptions, LoadedBackend } from './backends.js';
export {
  BackendLoadError,
  backendPackageName,
  loadBackendModule,
  loadBackendPackage,
  moduleSpecifierToImport,
} from './backends.js';
export type { CliArgs, CliEnvironment } from './cli.js';
export { CLI_USAGE, parseCliArgs, runConformanceCli, UsageError } from './cli.js';
export { fixturesDirFromEnv, shippedFixturesDir } from './fixture_dirs.js';
export type {
  FixtureResult,
  FixtureRoute,
  NnModule,
  RecurrentLayerLike,
  RunFixtureOptions,
} from './fixture_runner.js';
export {
  describeFixtureResult,
  formatFixtureResult,
  loadNn,
  runFixture,
} from './fixture_runner.js';
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
export type {
  AnyKernelCase,
  ExpectedOutput,
  HostInputs,
  KernelCase,
  KernelCaseResult,
  RnnCase,
  RunKernelCaseOptions,
} from './kernels/index.js';
export {
  kernelCases,
  rnnCases,
  rnnCheckpointCases,
  rnnDirectionCases,
  runKernelCase,
} from './kernels/index.js';
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
export type {
  CaseContext,
  CaseNeeds,
  CaseOutcome,
  FixturePlan,
  SuiteCase,
} from './plan.js';
export {
  fixtureSuiteCases,
  gradientSuiteCases,
  kernelSuiteCases,
  planSuite,
  registrationSuiteCases,
} from './plan.js';
export type { ConformanceProfile, Exclusion } from './profile.js';
export {
  exclusionMatches,
  findExclusion,
  ProfileError,
  staleExclusions,
  staticExclusion,
  tracedExclusion,
  validateProfile,
} from './profile.js';
export type {
  CaseResult,
  ConformanceReport,
  Counts,
  ErrorMeasure,
  Part,
} from './report.js';
export {
  countCases,
  formatCaseLine,
  formatCounts,
  formatPartLine,
  PARTS,
  reportToJson,
} from './report.js';
export type { RunConformanceOptions, SuitePlan } from './run_suite.js';
export {
  planConformance,
  prepareRun,
  REFERENCE_BACKEND,
  runCase,
  runConformance,
} from './run_suite.js';
export type { FixtureTolerance, RnnSizes, ToleranceOverrides, Tolerances } from './tolerances.js';
export {
  kernelTolerance,
  resolveTolerances,
  rnnKernelTolerance,
  TOLERANCES,
  UNIT_ROUNDOFF,
  unitRoundoff,
} from './tolerances.js';
export { KernelTrace, traceKey, UnsupportedKernelError } from './trace.js';
