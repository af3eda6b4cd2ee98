/**
 * The `LSTM` layer.
 */
import type { Tensor } from '@rnnkit/core';
import { uniqueName } from './base.js';
import {
  type RecurrentApplyOutput,
  type RecurrentForwardOptions,
  RecurrentLayer,
  type RecurrentLayerOptions,
  type RecurrentOutput,
} from './recurrent.js';

/** Options of {@link LSTM}: those of every recurrent layer. */
export type LSTMOptions = RecurrentLayerOptions;

/** What {@link LSTM.forward} returns: PyTorch's `(output, (h_n, c_n))`, batch-first. */
export interface LSTMOutput extends RecurrentOutput {
  /** `[L·D, B, H]`: final cell states. */
  cN: Tensor;
}

/**
 * Long short-term memory, as `torch.nn.LSTM` (batch-first): gate row blocks i, f, g, o;
 * `c' = σ(f)·c + σ(i)·tanh(g)`, `h' = σ(o)·tanh(c')`.
 *
 * Parameters per layer l and direction: `weight_ih_l{l}[_reverse] [4H, in]`,
 * `weight_hh_l{l}[_reverse] [4H, H]`, `bias_ih_l{l}[_reverse] [4H]`, `bias_hh_l{l}[_reverse] [4H]`;
 * `paramCount() = 4·(H·(H+I) + 2H)` for one layer and direction (see `recurrentParamCount`).
 * @example
 * ```ts
 * const lstm = new LSTM({ inputSize: 8, hiddenSize: 16, numLayers: 2, seed: 0 });
 * const x = randomNormal([2, 5, 8]); // [B, T, I]
 * const { output, hN, cN } = lstm.forward(x, { lengths: [5, 3] }); // the second sequence is padded after 3 steps
 * check([output.shape, hN.shape, cN.shape], [[2, 5, 16], [2, 2, 16], [2, 2, 16]]); // states: [L·D, B, H]
 * // A PyTorch state_dict of torch.nn.LSTM(8, 16, num_layers=2) loads as is; here another LSTM's:
 * const torchStateDict = new LSTM({ inputSize: 8, hiddenSize: 16, numLayers: 2, seed: 1 }).stateDict();
 * check(Object.keys(torchStateDict).slice(0, 4), ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']);
 * lstm.loadStateDict(torchStateDict); // PyTorch names and shapes
 * ```
 */
export class LSTM<ReturnState extends boolean = false> extends RecurrentLayer<
  RecurrentApplyOutput<ReturnState, true>
> {
  /** `returnState: true` makes `apply` return `[output, hN, cN]` (typed so). */
  constructor(options: LSTMOptions & { returnState?: ReturnState }) {
    super('LSTM', 'LSTM', options, options?.name ?? uniqueName('lstm'));
  }

  /** See {@link RecurrentLayer.forward}; `cN` is always there. */
  override forward(x: Tensor, options?: RecurrentForwardOptions): LSTMOutput {
    return super.forward(x, options) as LSTMOutput;
  }
}
