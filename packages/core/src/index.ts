/**
 * `@rnnkit/core`: backend-agnostic tensors, the kernel interface every backend implements,
 * the backend registry, automatic differentiation and the layer interfaces.
 *
 * @packageDocumentation
 */

// Installs the built-in gradient of every kernel into ENGINE (its own module: no import cycle).
import './gradients/register.js';

export {
  dispose,
  getBackend,
  initBackend,
  keep,
  listBackends,
  memory,
  registerBackend,
  registerGradient,
  registerKernel,
  removeBackend,
  setBackend,
  tidy,
  transfer,
} from './api.js';
export type {
  Backend,
  BackendFactory,
  KernelConfig,
  KernelFunc,
  KernelTable,
  MemoryInfo,
} from './backend.js';
export type {
  AdamCoefficients,
  AxisSplit,
  DirectionKernels,
  GuardedBackend,
  GuardedStorage,
  MatMulGeometry,
  RnnSizes,
} from './backend_util/index.js';
export {
  adamCoefficients,
  broadcastStrides,
  checkReserve,
  checkWrite,
  concatOutShape,
  flatOffset,
  gatherOutShape,
  liveStorage,
  matMulGeometry,
  padOutShape,
  reduceOutShape,
  reverseStrides,
  rnnByDirection,
  rnnSizes,
  rnnStepAt,
  splitAtAxis,
  transposeOutShape,
} from './backend_util/index.js';
export type { EngineMemory } from './engine.js';
export { ENGINE, Engine } from './engine.js';
export {
  BackendError,
  DisposedTensorError,
  DTypeError,
  FormatError,
  formatShape,
  NotFoundError,
  OutOfMemoryError,
  RnnkitError,
  ShapeError,
  ValueError,
} from './errors.js';
export type { GradientOptions } from './gradient_api.js';
export { grad, grads, valueAndGrad, valueAndGrads, variableGrads } from './gradient_api.js';
export { GRADIENTS } from './gradients/table.js';
export type { GradContext, GradFunc, GradientTable, TensorsOf } from './gradients/types.js';
export type {
  AdamAttrs,
  BinaryOp,
  KernelAttrs,
  KernelInputs,
  KernelName,
  KernelOutputs,
  KernelSignatures,
  ReduceOp,
  RnnAttrs,
  RnnMode,
  RnnParamSlot,
  RnnWeightsInputs,
  UnaryOp,
} from './kernel_names.js';
export {
  BINARY_OPS,
  GATES_PER_MODE,
  KERNEL_NAMES,
  parseRnnParamName,
  REDUCE_OPS,
  RNN_MODES,
  RNN_PARAM_SLOTS,
  rnnParamNames,
  UNARY_OPS,
} from './kernel_names.js';
export type { ApplyOptions, Layer, LayerConfig } from './layer.js';
export type { TensorLike } from './ops/create.js';
export {
  fill,
  ones,
  onesLike,
  randomNormal,
  randomUniform,
  scalar,
  tensor,
  variable,
  zeros,
  zerosLike,
} from './ops/create.js';
export {
  abs,
  add,
  binary,
  div,
  equal,
  exp,
  greater,
  greaterEqual,
  less,
  lessEqual,
  log,
  log1p,
  maximum,
  minimum,
  mul,
  neg,
  pow,
  reciprocal,
  relu,
  rsqrt,
  sigmoid,
  sign,
  softplus,
  sqrt,
  square,
  step,
  sub,
  tanh,
  unary,
} from './ops/elementwise.js';
export type { MatMulOptions } from './ops/matmul.js';
export { matMul } from './ops/matmul.js';
export type { AdamUpdateOptions, AdamUpdateResult } from './ops/optimizer.js';
export { adamUpdate } from './ops/optimizer.js';
export { argMax, logSumExp, max, mean, min, sum } from './ops/reduce.js';
export {
  cast,
  clone,
  concat,
  expandDims,
  gather,
  oneHot,
  pad,
  reshape,
  reverse,
  scatterAdd,
  slice,
  split,
  squeeze,
  stack,
  transpose,
} from './ops/shape.js';
export { logSoftmax, softmax } from './ops/softmax.js';
export { broadcastShapes } from './ops/util.js';
export type { RandomState } from './random.js';
export { globalRandom, Random, setSeed } from './random.js';
export { rnnSequence } from './rnn/fused.js';
export { rnnSequenceReference } from './rnn/reference.js';
export type { RnnSequenceArgs, RnnSequenceResult } from './rnn/validate.js';
export { checkpointSegment } from './rnn/validate.js';
export type { NestedArray } from './tensor.js';
export { Tensor, Variable } from './tensor.js';
export type { DataId, DType, DTypeArrayMap, Shape, TensorInfo, TypedArray } from './types.js';
export { DTYPES, shapesEqual, sizeOf, stridesOf, typedArrayFor } from './types.js';
