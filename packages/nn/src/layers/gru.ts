/**
 * The `GRU` layer.
 */
import { uniqueName } from './base.js';
import {
  type RecurrentApplyOutput,
  RecurrentLayer,
  type RecurrentLayerOptions,
} from './recurrent.js';

/** Options of {@link GRU}: those of every recurrent layer. */
export type GRUOptions = RecurrentLayerOptions;

/**
 * Gated recurrent unit in PyTorch's reset-after form (`torch.nn.GRU`; Keras' `reset_after=True`),
 * batch-first: gate row blocks r, z, n; `n = tanh(W_in x + b_in + r·(W_hn h + b_hn))`,
 * `h' = (1 − z)·n + z·h`.
 *
 * Parameters per layer and direction: `weight_ih [3H, in]`, `weight_hh [3H, H]`, `bias_ih [3H]`,
 * `bias_hh [3H]`; `paramCount() = 3·(H·(H+I) + 2H)` for one layer and direction.
 * @example
 * ```ts
 * const gru = new GRU({ inputSize: 8, hiddenSize: 16, bidirectional: true, seed: 0 });
 * const x = randomNormal([3, 7, 8]); // [B, T, I]
 * const { output, hN } = gru.forward(x); // output [B, T, 32], hN [2, B, 16]
 * check([output.shape, hN.shape], [[3, 7, 32], [2, 3, 16]]);
 * ```
 */
export class GRU<ReturnState extends boolean = false> extends RecurrentLayer<
  RecurrentApplyOutput<ReturnState, false>
> {
  /** `returnState: true` makes `apply` return `[output, hN]` (typed so). */
  constructor(options: GRUOptions & { returnState?: ReturnState }) {
    super('GRU', 'GRU', options, options?.name ?? uniqueName('gru'));
  }
}
