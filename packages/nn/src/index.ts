/**
 * `@rnnkit/nn`: layers for rnnkit. Recurrent layers ({@link SimpleRNN}, {@link LSTM},
 * {@link GRU}, {@link Bidirectional}) with PyTorch's semantics, weight names and layouts, plus
 * {@link Dense}, {@link Embedding} and {@link Dropout}.
 *
 * @packageDocumentation
 */

export type { InitContext, Initializer, InitializerFn, InitializerName } from './initializers.js';
export { INITIALIZER_NAMES, initialValues, orthogonal } from './initializers.js';
// io
export { crc32 } from './io/crc32.js';
export type { StorageDType } from './io/dtype_codec.js';
export type { FetchLike } from './io/fetch.js';
export { loadModelFromUrl } from './io/fetch.js';
export type {
  KerasArray,
  KerasBidirectionalWeights,
  KerasCell,
  KerasRnnWeights,
} from './io/keras_import.js';
export { kerasToPytorch, loadKerasWeights } from './io/keras_import.js';
export type { ModelManifest, WeightEntry } from './io/manifest.js';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION, validateManifest } from './io/manifest.js';
export type { OnnxExportable, OnnxExportOptions } from './io/onnx.js';
export { exportOnnx, ONNX_OPSET } from './io/onnx.js';
export { decodeOptimizerState, encodeOptimizerState } from './io/optimizer_state.js';
export type { LoadSafetensorsOptions, StateDictTarget } from './io/pytorch_import.js';
export { loadSafetensors, safetensorsToStateDict } from './io/pytorch_import.js';
export type { SafetensorsDType, SafetensorsInput, SafetensorsTensor } from './io/safetensors.js';
export { readSafetensors, writeSafetensors } from './io/safetensors.js';
export type { ModelArtifacts, Saveable } from './io/serialize.js';
export {
  CONTAINER_MAGIC,
  CONTAINER_VERSION,
  decodeContainer,
  deserialize,
  encodeContainer,
  fromArtifacts,
  loadWeightsInto,
  serialize,
  toArtifacts,
} from './io/serialize.js';
export { BaseLayer } from './layers/base.js';
export type { BidirectionalOptions, MergeMode } from './layers/bidirectional.js';
export { Bidirectional } from './layers/bidirectional.js';
export type { DenseActivation, DenseOptions } from './layers/dense.js';
export { Dense } from './layers/dense.js';
export type { DropoutOptions } from './layers/dropout.js';
export { Dropout, dropout } from './layers/dropout.js';
export type { EmbeddingApplyOptions, EmbeddingOptions } from './layers/embedding.js';
export { Embedding } from './layers/embedding.js';
export type { GRUOptions } from './layers/gru.js';
export { GRU } from './layers/gru.js';
export type { LSTMOptions, LSTMOutput } from './layers/lstm.js';
export { LSTM } from './layers/lstm.js';
export type {
  RecurrentApplyOptions,
  RecurrentApplyOutput,
  RecurrentForwardOptions,
  RecurrentImplementation,
  RecurrentLayerOptions,
  RecurrentOutput,
  RecurrentSizes,
  RecurrentState,
} from './layers/recurrent.js';
export { RecurrentLayer, recurrentParamCount } from './layers/recurrent.js';
export type { SequenceOptions } from './layers/sequence_input.js';
export { lengthsFromMask, sequenceLengthsOf } from './layers/sequence_input.js';
export type { SimpleRNNOptions } from './layers/simple_rnn.js';
export { SimpleRNN } from './layers/simple_rnn.js';
// losses
export type { BinaryCrossEntropyOptions } from './losses/binary_cross_entropy.js';
export { binaryCrossEntropyWithLogits } from './losses/binary_cross_entropy.js';
export type { CrossEntropyOptions } from './losses/cross_entropy.js';
export { categoricalCrossEntropy, sparseCategoricalCrossEntropy } from './losses/cross_entropy.js';
export { meanSquaredError } from './losses/mean_squared_error.js';
export type { LossOptions, Reduction } from './losses/reduction.js';
export type { LossFn, LossName } from './losses/registry.js';
export { getLoss, LOSS_NAMES } from './losses/registry.js';
// metrics
export { accuracy, accuracyMetric } from './metrics/accuracy.js';
export type { Metric } from './metrics/metric.js';
export { perplexity, perplexityMetric } from './metrics/perplexity.js';
export type { MetricName } from './metrics/registry.js';
export { getMetric } from './metrics/registry.js';
// models
export { modelFromConfig } from './models/from_config.js';
export type { ForwardOptions, ModelInput, Module } from './models/model.js';
export { Model } from './models/model.js';
export type { AnyLayer, LayerFactory } from './models/registry.js';
export { layerFromConfig, registeredLayers, registerLayer } from './models/registry.js';
export type { SequentialOptions } from './models/sequential.js';
export { Sequential } from './models/sequential.js';
// optimizers
export type { AdagradOptions } from './optimizers/adagrad.js';
export { Adagrad } from './optimizers/adagrad.js';
export type { AdamOptions } from './optimizers/adam.js';
export { Adam, AdamW } from './optimizers/adam.js';
export { clipByGlobalNorm, clipByValue } from './optimizers/clipping.js';
export type {
  OptimizerOptions,
  OptimizerState,
  SlotValue,
  UpdateContext,
} from './optimizers/optimizer.js';
export { Optimizer } from './optimizers/optimizer.js';
export type { OptimizerName } from './optimizers/registry.js';
export { getOptimizer } from './optimizers/registry.js';
export type { RMSpropOptions } from './optimizers/rmsprop.js';
export { RMSprop } from './optimizers/rmsprop.js';
export type { LearningRateSchedule } from './optimizers/schedules.js';
export { constantLR, cosineLR, exponentialLR, stepLR, warmupLR } from './optimizers/schedules.js';
export type { SGDOptions } from './optimizers/sgd.js';
export { SGD } from './optimizers/sgd.js';
// sampling
export type { BeamHypothesis, BeamSearchOptions } from './sampling/beam_search.js';
export { beamSearch } from './sampling/beam_search.js';
export type { StepLogits, TokenModel } from './sampling/decoder.js';
export type { GenerateOptions } from './sampling/generate.js';
export { generate } from './sampling/generate.js';
export type { LogitsLike } from './sampling/logits.js';
export type { SampleOptions } from './sampling/sample.js';
export {
  filteredProbabilities,
  greedy,
  sampleLogits,
  sampleLogitsBatch,
} from './sampling/sample.js';
export type {
  LoadStateDictOptions,
  NestedNumbers,
  StateDict,
  StateDictValue,
} from './state_dict.js';
export { loadStateDict } from './state_dict.js';
// training
export type { BpttLayout } from './training/bptt.js';
export { bpttBatches, bpttLayoutOf } from './training/bptt.js';
export type { Callback, CallbackModel, Logs, TrainingParams } from './training/callbacks.js';
export type { BestCheckpointOptions } from './training/checkpoint.js';
export { BestCheckpoint } from './training/checkpoint.js';
export type { CompiledModel, CompileOptions, TrainableModel } from './training/compile.js';
export type { BatchInput, InputLengthOptions } from './training/data.js';
export type { EarlyStoppingOptions } from './training/early_stopping.js';
export { EarlyStopping } from './training/early_stopping.js';
export type { EvaluateOptions, PredictOptions } from './training/evaluate.js';
export type { FitOptions } from './training/fit.js';
export { History } from './training/history.js';
export type { LossCurveOptions } from './training/loss_curve.js';
export { lossCurveSvg } from './training/loss_curve.js';
export type { MonitorMode } from './training/monitor.js';
export type { PadSequencesOptions } from './training/pad.js';
export { padSequences } from './training/pad.js';
export type { ProgressBarOptions, ProgressStream } from './training/progress.js';
export { ProgressBar } from './training/progress.js';
export { WeightSnapshot } from './training/snapshot.js';
