/**
 * Two-direction recurrent kernel cases (`RnnForward`/`RnnBackward` with `directions: 2`), each
 * compared with two single-direction calls on host slices of its inputs, joined on the host.
 */
import type { RnnMode } from '@rnnkit/core';
import { typedArrayFor } from '@rnnkit/core';
import { type HostTensor, hostTensor, rngFor, shapeText } from '@rnnkit/testing';
import { FLOATS } from './domains.js';
import { rnnInputs } from './rnn_cases.js';
import type { RnnCase } from './types.js';

/** Sizes: a one-row batch, a batch with an empty sequence, and odd sizes throughout. */
const DIRECTION_SIZES: { B: number; T: number; I: number; H: number }[] = [
  { B: 1, T: 4, I: 3, H: 5 },
  { B: 3, T: 9, I: 17, H: 7 },
  { B: 5, T: 6, I: 2, H: 17 },
];

/**
 * The two-direction cases: every mode, with and without lengths (one sequence empty, one full),
 * direction 0 forwards and (once per mode) in reverse, plain and checkpointed, for both float
 * dtypes; `RnnForward` (outputs, training or not) and `RnnBackward` (every gradient).
 */
export function rnnDirectionCases(seed = 9753): RnnCase[] {
  const rng = rngFor(seed);
  const cases: RnnCase[] = [];
  const modes: RnnMode[] = ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'];
  for (const kernel of ['RnnForward', 'RnnBackward'] as const) {
    for (const dtype of FLOATS) {
      for (const [m, mode] of modes.entries()) {
        for (const [k, sizes] of DIRECTION_SIZES.entries()) {
          const { B, T, I, H } = sizes;
          const withLengths = (k + m) % 2 === 1;
          const reverse = k === m % DIRECTION_SIZES.length;
          const checkpoint = k === 2 ? 2 : k === 1 && mode === 'LSTM' ? 4 : undefined;
          let lengths: HostTensor | undefined;
          if (withLengths) {
            const ls = Array.from({ length: B }, () => 1 + rng.int(T));
            ls[B - 1] = T;
            if (B >= 3) ls[0] = 0;
            lengths = hostTensor([B], 'int32', ls);
          }
          const inputs = rnnInputs(rng, mode, dtype, sizes, lengths, 2);
          const lengthText = lengths ? `lengths=${shapeText(Array.from(lengths.values))}` : 'full';
          const checkpointText = checkpoint === undefined ? '' : `/checkpoint=${checkpoint}`;
          cases.push({
            id: `kernel/${kernel}/${dtype}/${mode}/directions=2/${reverse ? 'reverse' : 'forward'}/${lengthText}/B=${B},T=${T},I=${I},H=${H}${checkpointText}`,
            kernel,
            dtype,
            mode,
            reverse,
            sizes,
            inputs,
            directions: 2,
            ...(checkpoint === undefined ? {} : { checkpoint }),
          });
        }
      }
    }
  }
  return cases;
}

/** Block `d` of a host tensor stacked along its first axis. */
function blockOf(t: HostTensor, d: number): HostTensor {
  const rest = t.shape.slice(1);
  const size = t.values.length / t.shape[0];
  return hostTensor(rest, t.dtype, t.values.subarray(d * size, (d + 1) * size));
}

/** Features `[d*H, (d+1)*H)` of every row of a `[B, T, 2H]` host tensor. */
function halfOf(t: HostTensor, d: number): HostTensor {
  const [B, T, twoH] = t.shape;
  const H = twoH / 2;
  const out = typedArrayFor(t.dtype, B * T * H);
  for (let r = 0; r < B * T; r++) {
    out.set(t.values.subarray(r * twoH + d * H, r * twoH + (d + 1) * H), r * H);
  }
  return { shape: [B, T, H], dtype: t.dtype, values: out };
}

/**
 * The single-direction case that direction `d` of a two-direction case amounts to: its slices
 * of the stacked inputs and cotangents, running the other way than direction 0 when `d` is 1.
 */
export function directionCase(c: RnnCase, d: number): RnnCase {
  const i = c.inputs;
  const opt = (t: HostTensor | undefined, f: (t: HostTensor) => HostTensor) => t && f(t);
  const block = (t: HostTensor | undefined) => opt(t, (u) => blockOf(u, d));
  const { directions: _, ...rest } = c;
  return {
    ...rest,
    id: `${c.id}/direction=${d}`,
    reverse: (d === 1) !== c.reverse,
    inputs: {
      x: i.x,
      wIh: block(i.wIh),
      wHh: block(i.wHh),
      bIh: block(i.bIh),
      bHh: block(i.bHh),
      h0: block(i.h0),
      c0: block(i.c0),
      lengths: i.lengths,
      dy: opt(i.dy, (u) => halfOf(u, d)),
      dhN: block(i.dhN),
      dcN: block(i.dcN),
    },
  };
}

/** Joins two `[B, T, H]` host tensors on the feature axis. */
function joinFeatures(a: HostTensor, b: HostTensor): HostTensor {
  const [B, T, H] = a.shape;
  const out = typedArrayFor(a.dtype, B * T * 2 * H);
  for (let r = 0; r < B * T; r++) {
    out.set(a.values.subarray(r * H, (r + 1) * H), r * 2 * H);
    out.set(b.values.subarray(r * H, (r + 1) * H), r * 2 * H + H);
  }
  return { shape: [B, T, 2 * H], dtype: a.dtype, values: out };
}

/** Stacks two same-shaped host tensors along a new first axis. */
function stackTwo(a: HostTensor, b: HostTensor): HostTensor {
  const out = typedArrayFor(a.dtype, 2 * a.values.length);
  out.set(a.values);
  out.set(b.values, a.values.length);
  return { shape: [2, ...a.shape], dtype: a.dtype, values: out };
}

/** The element-wise sum of two host tensors, rounded to their dtype. */
function sumOf(a: HostTensor, b: HostTensor): HostTensor {
  const out = typedArrayFor(a.dtype, a.values.length);
  for (let k = 0; k < out.length; k++) out[k] = a.values[k] + b.values[k];
  return { shape: [...a.shape], dtype: a.dtype, values: out };
}

/**
 * The outputs of a two-direction call from those of its two single-direction calls: `y` joined
 * on the feature axis, `dx` summed (as the tape sums two calls' gradients), the rest stacked.
 */
export function joinDirections(
  results: [Record<string, HostTensor>, Record<string, HostTensor>],
): Record<string, HostTensor> {
  const [r0, r1] = results;
  const joined: Record<string, HostTensor> = {};
  for (const k of Object.keys(r0)) {
    joined[k] =
      k === 'y'
        ? joinFeatures(r0[k], r1[k])
        : k === 'dx'
          ? sumOf(r0[k], r1[k])
          : stackTwo(r0[k], r1[k]);
  }
  return joined;
}
