/**
 * Gradient checks of `Rnn`: the fused recurrence (rnnSequence) and its composed reference, every mode, both directions, with and without lengths, against central finite differences. One file per kernel,
 * like the kernel cases in `../kernels/`.
 */
import {
  concat,
  GATES_PER_MODE,
  type RnnMode,
  reshape,
  rnnSequence,
  rnnSequenceReference,
} from '@rnnkit/core';
import { hostTensor, rngFor, shapeText, uniformTensor } from '@rnnkit/testing';
import * as fc from 'fast-check';
import type { GradientProblem } from '../gradient_checks.js';
import { type AddCheck, seedArb } from './domains.js';

function rnnProblem(mode: RnnMode, reference: boolean, withLengths: boolean, reverse: boolean) {
  return fc
    .record({
      B: fc.constantFrom(1, 2, 3),
      T: fc.constantFrom(1, 2, 4),
      I: fc.constantFrom(1, 3),
      H: fc.constantFrom(1, 2, 3),
      seed: seedArb,
    })
    .map(({ B, T, I, H, seed }): GradientProblem => {
      const rng = rngFor(seed);
      const G = GATES_PER_MODE[mode];
      const k = 1 / Math.sqrt(H);
      const lstm = mode === 'LSTM';
      const inputs = [
        uniformTensor(rng, [B, T, I], 'float64'),
        uniformTensor(rng, [G * H, I], 'float64', -k, k),
        uniformTensor(rng, [G * H, H], 'float64', -k, k),
        uniformTensor(rng, [G * H], 'float64', -k, k),
        uniformTensor(rng, [G * H], 'float64', -k, k),
        uniformTensor(rng, [B, H], 'float64', -0.5, 0.5),
      ];
      if (lstm) inputs.push(uniformTensor(rng, [B, H], 'float64', -0.5, 0.5));
      if (withLengths) {
        const ls = Array.from({ length: B }, () => rng.int(T + 1));
        ls[0] = T;
        inputs.push(hostTensor([B], 'int32', ls));
      }
      const run = reference ? rnnSequenceReference : rnnSequence;
      return {
        label: `${mode} B=${B} T=${T} I=${I} H=${H}${withLengths ? ` lengths=${shapeText(Array.from(inputs[inputs.length - 1].values))}` : ''}${reverse ? ' reverse' : ''}`,
        inputs,
        seed,
        f: (x, wIh, wHh, bIh, bHh, h0, ...rest) => {
          const c0 = lstm ? rest[0] : undefined;
          const lengths = withLengths ? rest[rest.length - 1] : undefined;
          const r = run({ mode, x, wIh, wHh, bIh, bHh, h0, c0, lengths, reverse });
          // One output carrying y, hN and cN so that the loss reaches all three.
          const parts = [reshape(r.y, [-1]), reshape(r.hN, [-1])];
          if (r.cN) parts.push(reshape(r.cN, [-1]));
          return concat(parts, 0);
        },
      };
    });
}

/** The gradient checks of the fused recurrence (rnnSequence) and its composed reference, every mode, both directions, with and without lengths. */
export function rnnGradientChecks(add: AddCheck): void {
  const modes: RnnMode[] = ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'];
  for (const reference of [false, true]) {
    for (const mode of modes) {
      for (const withLengths of [false, true]) {
        for (const rev of [false, true]) {
          add(
            `${reference ? 'rnnSequenceReference' : 'rnnSequence'}/${mode}/${rev ? 'reverse' : 'forward'}/${withLengths ? 'lengths' : 'full'}`,
            rnnProblem(mode, reference, withLengths, rev),
          );
        }
      }
    }
  }
}
