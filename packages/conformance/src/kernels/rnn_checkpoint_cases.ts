/**
 * Checkpointed recurrent kernel cases (`RnnForward`/`RnnBackward` with the `checkpoint`
 * attribute): each is compared with the plain path — another backend against cpu's plain
 * kernel within the recurrent tolerance, cpu itself against its own plain kernel exactly.
 */
import type { RnnMode } from '@rnnkit/core';
import { rngFor, shapeText } from '@rnnkit/testing';
import { FLOATS } from './domains.js';
import { fullAndEmptyLengths, rnnInputs } from './rnn_cases.js';
import type { RnnCase } from './types.js';

/** Sequence lengths long enough for several segments; segment lengths from 1 to beyond T. */
const CHECKPOINT_SIZES: { B: number; T: number; I: number; H: number; S: number[] }[] = [
  { B: 3, T: 23, I: 5, H: 9, S: [1, 5, 23] },
  { B: 2, T: 40, I: 3, H: 17, S: [7, 64] },
];

/**
 * The checkpointed cases: every mode, forwards and in reverse, with and without lengths
 * (including an empty sequence), for both float dtypes; `RnnForward` (training outputs) and
 * `RnnBackward` (every gradient).
 */
export function rnnCheckpointCases(seed = 8642): RnnCase[] {
  const rng = rngFor(seed);
  const cases: RnnCase[] = [];
  const modes: RnnMode[] = ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'];
  for (const kernel of ['RnnForward', 'RnnBackward'] as const) {
    for (const dtype of FLOATS) {
      for (const mode of modes) {
        for (const reverse of [false, true]) {
          for (const [k, sizes] of CHECKPOINT_SIZES.entries()) {
            const { B, T, I, H } = sizes;
            const withLengths = (k + (reverse ? 1 : 0)) % 2 === 1;
            const lengths = withLengths ? fullAndEmptyLengths(rng, B, T) : undefined;
            const inputs = rnnInputs(rng, mode, dtype, sizes, lengths);
            const lengthText = lengths
              ? `lengths=${shapeText(Array.from(lengths.values))}`
              : 'full';
            for (const checkpoint of sizes.S) {
              cases.push({
                id: `kernel/${kernel}/${dtype}/${mode}/${reverse ? 'reverse' : 'forward'}/${lengthText}/B=${B},T=${T},I=${I},H=${H}/checkpoint=${checkpoint}`,
                kernel,
                dtype,
                mode,
                reverse,
                sizes: { B, T, I, H },
                inputs,
                checkpoint,
              });
            }
          }
        }
      }
    }
  }
  return cases;
}
