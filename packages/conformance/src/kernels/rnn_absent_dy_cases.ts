/**
 * `RnnBackward` cases without `dy` (a loss that reads only the final states): the kernel called
 * without it must equal the same call with a zero `dy` — cpu exactly, another backend within the
 * recurrent tolerance of cpu's call with the zero `dy`.
 */
import type { RnnMode } from '@rnnkit/core';
import { rngFor, shapeText } from '@rnnkit/testing';
import { FLOATS } from './domains.js';
import { fullAndEmptyLengths, type RnnSizes, rnnInputs } from './rnn_cases.js';
import type { RnnCase } from './types.js';

/**
 * Odd sizes: H = 9 runs both the four-wide and the one-wide lanes of a vectorised cell, H = 5
 * with two directions gives rows of 2H = 10 floats, not a multiple of four.
 */
const ABSENT_DY_SIZES: RnnSizes[] = [
  { B: 3, T: 7, I: 4, H: 9 },
  { B: 2, T: 6, I: 5, H: 5 },
];

/** Segment length of the checkpointed cases: several segments, the last one short. */
const SEGMENT = 3;

/**
 * The cases: every mode, one and two directions, plain and checkpointed, with and without
 * lengths (one sequence empty, one full), forwards and in reverse by turns, for both float
 * dtypes. Their inputs have no `dy`; the runner gives the reference a zero one.
 */
export function rnnAbsentDyCases(seed = 1357): RnnCase[] {
  const rng = rngFor(seed);
  const cases: RnnCase[] = [];
  const modes: RnnMode[] = ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'];
  for (const dtype of FLOATS) {
    for (const [m, mode] of modes.entries()) {
      for (const directions of [1, 2] as const) {
        for (const checkpoint of [undefined, SEGMENT]) {
          for (const withLengths of [false, true]) {
            // Each (mode, directions, checkpoint) runs once forwards and once in reverse, on
            // both sizes.
            const turn = (checkpoint === undefined ? 0 : 1) + (withLengths ? 1 : 0);
            const sizes = ABSENT_DY_SIZES[(turn + directions) % ABSENT_DY_SIZES.length];
            const reverse = (turn + m) % 2 === 1;
            const { B, T, I, H } = sizes;
            const lengths = withLengths ? fullAndEmptyLengths(rng, B, T) : undefined;
            const { dy: _, ...inputs } = rnnInputs(rng, mode, dtype, sizes, lengths, directions);
            const lengthText = lengths
              ? `lengths=${shapeText(Array.from(lengths.values))}`
              : 'full';
            const directionText = directions === 2 ? '/directions=2' : '';
            const checkpointText = checkpoint === undefined ? '' : `/checkpoint=${checkpoint}`;
            cases.push({
              id: `kernel/RnnBackward/${dtype}/${mode}/dy=absent${directionText}/${reverse ? 'reverse' : 'forward'}/${lengthText}/B=${B},T=${T},I=${I},H=${H}${checkpointText}`,
              kernel: 'RnnBackward',
              dtype,
              mode,
              reverse,
              sizes,
              inputs,
              ...(directions === 2 ? { directions } : {}),
              ...(checkpoint === undefined ? {} : { checkpoint }),
            });
          }
        }
      }
    }
  }
  return cases;
}
