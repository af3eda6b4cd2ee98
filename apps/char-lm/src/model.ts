/** The character language model: Embedding → stacked LSTM/GRU/SimpleRNN → Dropout → Dense over the vocabulary. */
import { type Random, type Tensor, tidy } from '@rnnkit/core';
import {
  Dense,
  Dropout,
  Embedding,
  GRU,
  LSTM,
  type RecurrentLayer,
  type RecurrentState,
  Sequential,
  SimpleRNN,
} from '@rnnkit/nn';

/** Recurrent cells the app offers. */
export const CELLS = ['lstm', 'gru', 'rnn'] as const;
/** A recurrent cell name. */
export type CellName = (typeof CELLS)[number];

/** The architecture: everything needed to rebuild the model with fresh weights. */
export interface ModelConfig {
  cell: CellName;
  layers: number;
  hidden: number;
  embed: number;
  dropout: number;
  vocabSize: number;
}

/** The model's parts; `net` (a Sequential of them) is what is saved and counted. */
export interface CharModel {
  config: ModelConfig;
  embed: Embedding;
  rnn: RecurrentLayer;
  drop: Dropout;
  head: Dense;
  net: Sequential;
}

/** Builds the model; `rng` initialises the weights and later draws every dropout mask. */
export function buildModel(config: ModelConfig, rng: Random): CharModel {
  const embed = new Embedding({
    numEmbeddings: config.vocabSize,
    embeddingDim: config.embed,
    rng,
    name: 'embed',
  });
  const rnnOptions = {
    inputSize: config.embed,
    hiddenSize: config.hidden,
    numLayers: config.layers,
    dropout: config.layers > 1 ? config.dropout : 0,
    rng,
    name: 'rnn',
  };
  const rnn =
    config.cell === 'lstm'
      ? new LSTM(rnnOptions)
      : config.cell === 'gru'
        ? new GRU(rnnOptions)
        : new SimpleRNN(rnnOptions);
  const drop = new Dropout({ rate: config.dropout, rng, name: 'drop' });
  const head = new Dense({ inputSize: config.hidden, units: config.vocabSize, rng, name: 'head' });
  const net = new Sequential([embed, rnn, drop, head], { name: 'charLM' });
  return { config, embed, rnn, drop, head, net };
}

/** Logits `[B, T, V]` for int32 ids `[B, T]`, and the recurrent state after the last step. */
export function runModel(
  model: CharModel,
  ids: Tensor,
  state: RecurrentState | undefined,
  training: boolean,
): { logits: Tensor; state: RecurrentState } {
  return tidy(() => {
    const x = model.embed.apply(ids);
    const { output, hN, cN } = model.rnn.forward(x, { initialState: state, training });
    const logits = model.head.apply(model.drop.apply(output, { training }));
    return { logits, state: cN ? { h: hN, c: cN } : { h: hN } };
  });
}
