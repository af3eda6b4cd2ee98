/**
 * The inference path of RnnForward (`training: false`, which keeps no reserve and projects each
 * step's inputs just before its hidden product) against the training path: y, hN and cN equal
 * bit for bit, for every mode, with padding, in reverse, over two directions, and with the batch
 * split across threads.
 */
import type { Backend, KernelFunc, RnnMode, TensorInfo } from '@rnnkit/core';
import { GATES_PER_MODE } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import {
  type HostTensor,
  randomF32,
  rng,
  sameBits,
  singleAndMulti,
  spreadLengths,
  upload,
} from './helpers.js';

interface Case {
  label: string;
  mode: RnnMode;
  reverse: boolean;
  directions: 1 | 2;
  inputs: Record<string, HostTensor | undefined>;
}

function makeCase(
  random: () => number,
  mode: RnnMode,
  [B, T, I, H]: [number, number, number, number],
  options: { reverse?: boolean; lengths?: number[]; directions?: 1 | 2 } = {},
): Case {
  const G = GATES_PER_MODE[mode];
  const D = options.directions ?? 1;
  const s = 1 / Math.sqrt(Math.max(H, 1));
  const stacked = (shape: number[]) => (D === 1 ? shape : [2, ...shape]);
  return {
    label: `${mode} B${B} T${T} I${I} H${H} D${D}${options.lengths ? ' lengths' : ''}${options.reverse ? ' reverse' : ''}`,
    mode,
    reverse: options.reverse ?? false,
    directions: D,
    inputs: {
      x: randomF32([B, T, I], random),
      wIh: randomF32(stacked([G * H, I]), random, -s, s),
      wHh: randomF32(stacked([G * H, H]), random, -s, s),
      bIh: randomF32(stacked([G * H]), random, -s, s),
      bHh: randomF32(stacked([G * H]), random, -s, s),
      h0: randomF32(stacked([B, H]), random, -0.5, 0.5),
      c0: mode === 'LSTM' ? randomF32(stacked([B, H]), random, -0.5, 0.5) : undefined,
      lengths: options.lengths && {
        values: Int32Array.from(options.lengths),
        shape: [B],
        dtype: 'int32',
      },
    },
  };
}

/** The forward's y, hN and cN read back, with `training` as given. */
function forwardOutputs(
  backend: Backend,
  c: Case,
  training: boolean,
): Record<string, Float32Array> {
  const owned: TensorInfo[] = [];
  const up = (t: HostTensor | undefined) => {
    if (!t) return undefined;
    const info = upload(backend, t);
    owned.push(info);
    return info;
  };
  const i = c.inputs;
  const forward = backend.kernels.RnnForward as unknown as KernelFunc<'RnnForward', Backend>;
  const out = forward(
    {
      x: up(i.x)!,
      wIh: up(i.wIh)!,
      wHh: up(i.wHh)!,
      bIh: up(i.bIh)!,
      bHh: up(i.bHh)!,
      h0: up(i.h0)!,
      c0: up(i.c0),
      lengths: up(i.lengths),
    },
    {
      mode: c.mode,
      reverse: c.reverse,
      training,
      ...(c.directions === 2 ? { directions: 2 as const } : {}),
    },
    backend,
  );
  const values: Record<string, Float32Array> = {};
  for (const [k, info] of Object.entries(out)) {
    if (!info) continue;
    owned.push(info);
    if (k !== 'reserve') values[k] = backend.readSync(info.dataId) as Float32Array;
  }
  for (const info of owned) backend.disposeData(info.dataId);
  return values;
}

describe('RnnForward inference path', async () => {
  const { single, multi } = await singleAndMulti();
  const random = rng(2026);
  const lengthsOf = (B: number, T: number) => spreadLengths(B, T, 5);
  const cases = [
    makeCase(random, 'LSTM', [32, 50, 64, 128]),
    makeCase(random, 'LSTM', [40, 17, 19, 37], { lengths: lengthsOf(40, 17), reverse: true }),
    makeCase(random, 'GRU', [24, 21, 33, 45], { lengths: lengthsOf(24, 21) }),
    makeCase(random, 'GRU', [3, 9, 5, 7], { reverse: true }),
    makeCase(random, 'RNN_TANH', [20, 12, 300, 6], { lengths: lengthsOf(20, 12) }),
    makeCase(random, 'RNN_RELU', [18, 8, 1, 1]),
    makeCase(random, 'LSTM', [6, 30, 48, 96], { directions: 2, lengths: lengthsOf(6, 30) }),
    makeCase(random, 'GRU', [32, 14, 16, 40], { directions: 2, reverse: true }),
    makeCase(random, 'LSTM', [5, 0, 4, 8]),
    makeCase(random, 'RNN_TANH', [4, 6, 0, 8], { lengths: [6, 0, 3, 1] }),
  ];
  for (const c of cases) {
    it(`equals the training path's outputs bit for bit, on one thread and three (${c.label})`, () => {
      const expected = forwardOutputs(single, c, true);
      for (const backend of [single, multi]) {
        const actual = forwardOutputs(backend, c, false);
        expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
        for (const k of Object.keys(expected)) {
          const same = sameBits(actual[k], expected[k]);
          expect(same, `${backend.threads} threads, ${k}`).toBe(true);
        }
      }
    });
  }
});
