/** `padSequences`: token sequences of different lengths to one padded int32 batch. */
import { type Tensor, tensor, ValueError } from '@rnnkit/core';

/** Options of {@link padSequences}. */
export interface PadSequencesOptions {
  /** Steps of the result (default: the longest sequence); longer sequences are refused, not cut. */
  maxLength?: number;
  /** The padding token (default 0), e.g. the `paddingIdx` of the `Embedding` that reads the batch. */
  value?: number;
}

/**
 * Packs token sequences into an int32 `[N, T]` tensor, each row padded at its end with
 * `value` (post-padding, what an `Embedding` with `paddingIdx` and the recurrent layers
 * expect), like Keras' `pad_sequences(..., padding='post')` without truncation.
 * @example
 * ```ts
 * const batch = padSequences([[5, 2, 7], [3]]);
 * check(batch, [[5, 2, 7], [3, 0, 0]]);
 * check(padSequences([[1]], { maxLength: 3, value: 9 }), [[1, 9, 9]]);
 * ```
 */
export function padSequences(
  sequences: readonly (readonly number[])[],
  options: PadSequencesOptions = {},
): Tensor {
  if (!Array.isArray(sequences) || sequences.length === 0)
    throw new ValueError(
      `padSequences: argument 'sequences' must be a non-empty array of token arrays`,
    );
  const longest = Math.max(...sequences.map((s) => s.length));
  const T = options.maxLength ?? longest;
  const value = options.value ?? 0;
  if (!(Number.isInteger(T) && T > 0))
    throw new ValueError(`padSequences: option 'maxLength' must be a positive integer, got ${T}`);
  if (!Number.isInteger(value))
    throw new ValueError(`padSequences: option 'value' must be an integer, got ${value}`);
  const out = new Int32Array(sequences.length * T).fill(value);
  sequences.forEach((s: readonly number[], b: number) => {
    if (s.length > T)
      throw new ValueError(
        `padSequences: sequences[${b}] has ${s.length} tokens but option 'maxLength' is ${T}`,
      );
    s.forEach((token, t) => {
      if (!Number.isInteger(token))
        throw new ValueError(
          `padSequences: sequences[${b}][${t}] must be an integer, got ${token}`,
        );
      out[b * T + t] = token;
    });
  });
  return tensor(out, [sequences.length, T], 'int32');
}
