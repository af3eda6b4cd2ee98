/**
 * The fused recurrent kernel cases (`RnnForward`, `RnnBackward`): every mode, with and without lengths, forwards and in reverse, on odd sizes.
 */
import type { RnnMode } from '@rnnkit/core';
import { GATES_PER_MODE } from '@rnnkit/core';
import { type HostTensor, hostTensor, rngFor, shapeText, uniformTensor } from '@rnnkit/testing';
import { FLOATS } from './domains.js';
import type { RnnCase } from './types.js';

/** The sizes of one single-direction recurrent call. */
export type RnnSizes = { B: number; T: number; I: number; H: number };

const RNN_SIZES: RnnSizes[] = [
  { B: 1, T: 1, I: 1, H: 1 },
  { B: 3, T: 17, I: 3, H: 33 },
  { B: 2, T: 3, I: 17, H: 3 },
  { B: 3, T: 5, I: 33, H: 17 },
];

/**
 * The fused recurrent kernel cases: every mode, with and without lengths, forwards and in
 * reverse, on odd sizes, for both float dtypes; `RnnForward` and `RnnBackward` each.
 */
export function rnnCases(seed = 4321): RnnCase[] {
  const rng = rngFor(seed);
  const cases: RnnCase[] = [];
  const modes: RnnMode[] = ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'];
  for (const kernel of ['RnnForward', 'RnnBackward'] as const) {
    for (const dtype of FLOATS) {
      let rotation = 0;
      for (const mode of modes) {
        for (const withLengths of [false, true]) {
          for (const reverse of [false, true]) {
            for (let k = 0; k < 2; k++) {
              const sizes = RNN_SIZES[(rotation++ + k) % RNN_SIZES.length];
              const { B, T, I, H } = sizes;
              let lengths: HostTensor | undefined;
              if (withLengths) {
                const ls = Array.from({ length: B }, () => rng.int(T + 1));
                ls[0] = T;
                if (B >= 3) ls[B - 1] = 0;
                lengths = hostTensor([B], 'int32', ls);
              }
              const inputs = rnnInputs(rng, mode, dtype, sizes, lengths);
              const lengthText = lengths
                ? `lengths=${shapeText(Array.from(lengths.values))}`
                : 'full';
              cases.push({
                id: `kernel/${kernel}/${dtype}/${mode}/${reverse ? 'reverse' : 'forward'}/${lengthText}/B=${B},T=${T},I=${I},H=${H}`,
                kernel,
                dtype,
                mode,
                reverse,
                sizes,
                inputs,
              });
            }
          }
        }
      }
    }
  }
  return cases;
}

/**
 * Random inputs and cotangents of one recurrent call of `sizes` (PyTorch's init range); with
 * `directions` 2 the weights and states are stacked per direction and `dy` is `[B, T, 2H]`.
 */
export function rnnInputs(
  rng: ReturnType<typeof rngFor>,
  mode: RnnMode,
  dtype: RnnCase['dtype'],
  { B, T, I, H }: RnnSizes,
  lengths?: HostTensor,
  directions: 1 | 2 = 1,
): Record<string, HostTensor | undefined> {
  const G = GATES_PER_MODE[mode];
  const bound = 1 / Math.sqrt(H);
  const lstm = mode === 'LSTM';
  const stacked = (shape: number[]) => (directions === 1 ? shape : [directions, ...shape]);
  return {
    x: uniformTensor(rng, [B, T, I], dtype),
    wIh: uniformTensor(rng, stacked([G * H, I]), dtype, -bound, bound),
    wHh: uniformTensor(rng, stacked([G * H, H]), dtype, -bound, bound),
    bIh: uniformTensor(rng, stacked([G * H]), dtype, -bound, bound),
    bHh: uniformTensor(rng, stacked([G * H]), dtype, -bound, bound),
    h0: uniformTensor(rng, stacked([B, H]), dtype, -0.5, 0.5),
    c0: lstm ? uniformTensor(rng, stacked([B, H]), dtype, -0.5, 0.5) : undefined,
    lengths,
    dy: uniformTensor(rng, [B, T, directions * H], dtype),
    dhN: uniformTensor(rng, stacked([B, H]), dtype),
    dcN: lstm ? uniformTensor(rng, stacked([B, H]), dtype) : undefined,
  };
}

/**
 * Random lengths of a batch of `B` sequences of up to `T` steps, each in `[1, T]` except that
 * the first is full and the last empty.
 */
export function fullAndEmptyLengths(
  rng: ReturnType<typeof rngFor>,
  B: number,
  T: number,
): HostTensor {
  const ls = Array.from({ length: B }, () => 1 + rng.int(T));
  ls[0] = T;
  ls[B - 1] = 0;
  return hostTensor([B], 'int32', ls);
}

/** Empty recurrent calls every backend must serve: no steps (hN = h0), and no batch rows. */
const EMPTY_SIZES: RnnSizes[] = [
  { B: 2, T: 0, I: 3, H: 4 },
  { B: 0, T: 3, I: 3, H: 4 },
];

/**
 * The fused recurrent kernels on empty dimensions (T = 0, B = 0): every mode, both float
 * dtypes, forwards and in reverse; `RnnForward` and `RnnBackward` each.
 */
export function rnnEmptyCases(seed = 2468): RnnCase[] {
  const rng = rngFor(seed);
  const cases: RnnCase[] = [];
  for (const kernel of ['RnnForward', 'RnnBackward'] as const)
    for (const dtype of FLOATS)
      for (const mode of ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'] as const)
        for (const reverse of [false, true])
          for (const sizes of EMPTY_SIZES) {
            const { B, T, I, H } = sizes;
            cases.push({
              id: `kernel/${kernel}/${dtype}/${mode}/${reverse ? 'reverse' : 'forward'}/empty/B=${B},T=${T},I=${I},H=${H}`,
              kernel,
              dtype,
              mode,
              reverse,
              sizes,
              inputs: rnnInputs(rng, mode, dtype, sizes),
            });
          }
  return cases;
}
