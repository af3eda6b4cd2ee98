/**
 * `@rnnkit/nn`: layers for rnnkit. Recurrent layers ({@link SimpleRNN}, {@link LSTM},
 * {@link GRU}, {@link Bidirectional}) with PyTorch's semantics, weight names and layouts, plus
 * {@link Dense}, {@link Embedding} and {@link Dropout}.
 *
 * @packageDocumentation
 */

export type { InitContext, Initializer, InitializerFn, InitializerName } from './initializers.js';
export { INITIALIZER_NAMES, initialValues, orthogonal } from './initializers.js';
export { BaseLayer } from './layers/base.js';
export type { BidirectionalOptions, MergeMode } from './layers/bidirectional.js';
export { Bidirectional } from './layers/bidirectional.js';
export type { DenseActivation, DenseOptions } from './layers/dense.js';
export { Dense } from './layers/dense.js';
export type { DropoutOptions } from './layers/dropout.js';
export { Dropout, dropout } from './layers/dropout.js';
export type { EmbeddingOptions } from './layers/embedding.js';
export { Embedding } from './layers/embedding.js';
export type { GRUOptions } from './layers/gru.js';
export { GRU } from './layers/gru.js';
export type { LSTMOptions } from './layers/lstm.js';
export { LSTM } from './layers/lstm.js';
export type {
  RecurrentApplyOptions,
  RecurrentForwardOptions,
  RecurrentImplementation,
  RecurrentLayerOptions,
  RecurrentOutput,
  RecurrentSizes,
  RecurrentState,
} from './layers/recurrent.js';
export { RecurrentLayer, recurrentParamCount } from './layers/recurrent.js';
export { lengthsFromMask } from './layers/sequence_input.js';
export type { SimpleRNNOptions } from './layers/simple_rnn.js';
export { SimpleRNN } from './layers/simple_rnn.js';
export type {
  LoadStateDictOptions,
  NestedNumbers,
  StateDict,
  StateDictValue,
} from './state_dict.js';
export { loadStateDict } from './state_dict.js';
