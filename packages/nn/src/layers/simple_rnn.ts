/**
 * The `SimpleRNN` layer (tanh or ReLU).
 */
import { ValueError } from '@rnnkit/core';
import { uniqueName } from './base.js';
import {
  type RecurrentApplyOutput,
  RecurrentLayer,
  type RecurrentLayerOptions,
} from './recurrent.js';

/** Options of {@link SimpleRNN}. */
export interface SimpleRNNOptions extends RecurrentLayerOptions {
  /** `'tanh'` (default) or `'relu'`, as `torch.nn.RNN`'s `nonlinearity`. */
  nonlinearity?: 'tanh' | 'relu';
}

function modeOf(options: SimpleRNNOptions): 'RNN_TANH' | 'RNN_RELU' {
  const n = options?.nonlinearity ?? 'tanh';
  if (n !== 'tanh' && n !== 'relu') {
    throw new ValueError(
      `SimpleRNN: option 'nonlinearity' must be 'tanh' or 'relu', got ${String(n)}`,
    );
  }
  return n === 'tanh' ? 'RNN_TANH' : 'RNN_RELU';
}

/**
 * The Elman recurrence of `torch.nn.RNN` (batch-first):
 * `h' = act(W_ih x + b_ih + W_hh h + b_hh)` with `act` tanh or relu.
 *
 * Parameters per layer and direction: `weight_ih [H, in]`, `weight_hh [H, H]`, `bias_ih [H]`,
 * `bias_hh [H]`; `paramCount() = H·(H+I) + 2H` for one layer and direction (PyTorch's two
 * biases; Keras' single bias would give `H·(H+I) + H`).
 * @example
 * ```ts
 * const rnn = new SimpleRNN({ inputSize: 3, hiddenSize: 4, nonlinearity: 'relu', returnSequences: false, seed: 0 });
 * const x = randomNormal([2, 5, 3]); // [B, T, I]
 * const last = rnn.apply(x); // [B, 4]: the output at the last step
 * check(last.shape, [2, 4]);
 * check(min(last).item() >= 0, true); // relu
 * check(rnn.paramCount(), 4 * (4 + 3) + 2 * 4); // PyTorch's two biases
 * ```
 */
export class SimpleRNN<ReturnState extends boolean = false> extends RecurrentLayer<
  RecurrentApplyOutput<ReturnState, false>
> {
  /** The nonlinearity. */
  readonly nonlinearity: 'tanh' | 'relu';

  /** `returnState: true` makes `apply` return `[output, hN]` (typed so). */
  constructor(options: SimpleRNNOptions & { returnState?: ReturnState }) {
    const mode = modeOf(options);
    super('SimpleRNN', mode, options, options?.name ?? uniqueName('simple_rnn'));
    this.nonlinearity = mode === 'RNN_TANH' ? 'tanh' : 'relu';
  }

  protected override extraConfig(): Record<string, unknown> {
    return { nonlinearity: this.mode === 'RNN_TANH' ? 'tanh' : 'relu' };
  }
}
