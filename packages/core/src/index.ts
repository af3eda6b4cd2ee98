/**
 * `@rnnkit/core`: backend-agnostic tensors, the kernel interface every backend implements,
 * the backend registry, automatic differentiation and the layer interfaces.
 *
 * @packageDocumentation
 */
export type { DType, DTypeArrayMap, TypedArray, Shape, DataId, TensorInfo } from './types.js';
export { DTYPES, typedArrayFor, sizeOf, stridesOf, shapesEqual } from './types.js';
export type {
  UnaryOp,
  BinaryOp,
  ReduceOp,
  RnnMode,
  RnnAttrs,
  RnnWeightsInputs,
  KernelSignatures,
  KernelName,
  KernelInputs,
  KernelAttrs,
  KernelOutputs,
} from './kernel_names.js';
export { UNARY_OPS, BINARY_OPS, REDUCE_OPS, GATES_PER_MODE, KERNEL_NAMES } from './kernel_names.js';
export type { Backend, BackendFactory, KernelConfig, KernelFunc, KernelTable, MemoryInfo } from './backend.js';
export {
  RnnkitError,
  ShapeError,
  DTypeError,
  BackendError,
  DisposedTensorError,
  ValueError,
  FormatError,
  formatShape,
} from './errors.js';
export { Tensor, Variable } from './tensor.js';
export type { NestedArray } from './tensor.js';
export { Engine, ENGINE } from './engine.js';
export type { EngineMemory, GradContext, GradFunc, TensorsOf } from './engine.js';
export {
  registerBackend,
  setBackend,
  initBackend,
  getBackend,
  listBackends,
  removeBackend,
  registerKernel,
  registerGradient,
  tidy,
  keep,
  dispose,
  memory,
  transfer,
} from './api.js';
export { grad, grads, valueAndGrad, valueAndGrads, variableGrads } from './gradient_api.js';
export { Random, setSeed, globalRandom } from './random.js';
export type { TensorLike } from './ops/create.js';
export {
  tensor,
  scalar,
  fill,
  zeros,
  ones,
  zerosLike,
  onesLike,
  randomUniform,
  randomNormal,
  variable,
} from './ops/create.js';
export {
  unary,
  binary,
  add,
  sub,
  mul,
  div,
  maximum,
  minimum,
  pow,
  equal,
  greater,
  greaterEqual,
  less,
  lessEqual,
  neg,
  abs,
  sign,
  exp,
  log,
  log1p,
  sqrt,
  rsqrt,
  square,
  reciprocal,
  tanh,
  sigmoid,
  relu,
  step,
  softplus,
} from './ops/elementwise.js';
export { matMul } from './ops/matmul.js';
export type { MatMulOptions } from './ops/matmul.js';
export { sum, max, min, mean, argMax, logSumExp } from './ops/reduce.js';
export {
  reshape,
  expandDims,
  squeeze,
  cast,
  slice,
  concat,
  stack,
  split,
  transpose,
  reverse,
  pad,
  gather,
  scatterAdd,
  oneHot,
  clone,
} from './ops/shape.js';
export { softmax, logSoftmax } from './ops/softmax.js';
export { broadcastShapes } from './ops/util.js';
export { rnnSequence } from './rnn/fused.js';
export { rnnSequenceReference } from './rnn/reference.js';
export type { RnnSequenceArgs, RnnSequenceResult } from './rnn/validate.js';
export type { Layer, LayerConfig, ApplyOptions } from './layer.js';
