/**
 * Truncated backpropagation through time: the batch layout that carries state across windows.
 */
import { type Tensor, tensor, ValueError } from '@rnnkit/core';

/** The batch layout {@link bpttBatches} gave a tensor. */
export interface BpttLayout {
  /** Lanes, i.e. the batch size `fit` must use. */
  batchSize: number;
  /** Steps per window. */
  seqLen: number;
}

const layouts = new WeakMap<Tensor, BpttLayout>();

/** The layout `x` was made with by {@link bpttBatches}, or undefined. */
export function bpttLayoutOf(x: Tensor): BpttLayout | undefined {
  return layouts.get(x);
}

/**
 * Lays out a long token stream for truncated backpropagation through time with a stateful
 * model (PyTorch's word-language-model `batchify`): the stream is cut into `batchSize`
 * contiguous lanes, and batch k holds window k of every lane, so row b of batch k+1 continues
 * row b of batch k and the carried state stays meaningful. Targets are the inputs shifted by
 * one token. Use with `fit(x, y)` on a model with `stateful` recurrent layers: the tensors carry
 * their layout, so `fit` takes its batch size from them and refuses another one (which would
 * silently train something that is not truncated BPTT).
 *
 * @returns `x`, `y`: int32 `[numBatches·batchSize, seqLen]`, rows ordered batch by batch, with
 * the `batchSize` and `seqLen` they were laid out with.
 * @example
 * ```ts
 * const ids = Array.from({ length: 200 }, (_, i) => (i * 7) % 10); // a token stream
 * const { x, y, numBatches } = bpttBatches(ids, { batchSize: 4, seqLen: 8 });
 * check([numBatches, x.shape, y.shape], [6, [24, 8], [24, 8]]); // 4 lanes of ⌊199/4⌋ = 49 tokens
 * check(slice(y, [0, 0], [1, 7]), slice(x, [0, 1], [1, 7])); // targets: inputs shifted by one
 * const lm = new Sequential([
 *   new Embedding({ numEmbeddings: 10, embeddingDim: 8, seed: 0 }),
 *   new LSTM({ inputSize: 8, hiddenSize: 16, stateful: true, seed: 0 }),
 *   new Dense({ inputSize: 16, units: 10, seed: 0 }),
 * ]);
 * lm.compile({ optimizer: new Adam({ lr: 1e-2 }), loss: 'sparseCategoricalCrossEntropy' });
 * await lm.fit(x, y, { epochs: 2, verbose: 0 }); // batches of 4 lanes, in order, states carried
 * ```
 */
export function bpttBatches(
  tokens: ArrayLike<number>,
  options: { batchSize: number; seqLen: number },
): { x: Tensor; y: Tensor; numBatches: number; batchSize: number; seqLen: number } {
  const { batchSize: B, seqLen: T } = options;
  if (!(Number.isInteger(B) && B > 0 && Number.isInteger(T) && T > 0)) {
    throw new ValueError(
      `bpttBatches: 'batchSize' and 'seqLen' must be positive integers, got ${B} and ${T}`,
    );
  }
  const lane = Math.floor((tokens.length - 1) / B);
  const numBatches = Math.floor(lane / T);
  if (numBatches === 0)
    throw new ValueError(
      `bpttBatches: ${tokens.length} tokens are too few for ${B} lanes of ${T}+1 tokens`,
    );
  const xs = new Int32Array(numBatches * B * T);
  const ys = new Int32Array(numBatches * B * T);
  for (let k = 0; k < numBatches; k++) {
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const src = b * lane + k * T + t;
        const dst = (k * B + b) * T + t;
        xs[dst] = tokens[src];
        ys[dst] = tokens[src + 1];
      }
    }
  }
  const x = tensor(xs, [numBatches * B, T], 'int32');
  const y = tensor(ys, [numBatches * B, T], 'int32');
  const layout = { batchSize: B, seqLen: T };
  layouts.set(x, layout);
  layouts.set(y, layout);
  return { x, y, numBatches, batchSize: B, seqLen: T };
}
