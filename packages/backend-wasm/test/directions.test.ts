/**
 * Both directions of a bidirectional layer in one fused call (`directions: 2`): bit-identical to
 * two single-direction calls joined as the two-direction call joins them (y halves, stacked
 * states and weight gradients, dx summed), on one thread and on three, where the two directions
 * of a batch too small to split run on two threads; the checkpointed path too.
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

/** Host inputs of a two-direction call (weights and states stacked per direction). */
interface PairCase {
  label: string;
  mode: RnnMode;
  reverse: boolean;
  inputs: Record<string, HostTensor | undefined>;
  checkpoint?: number;
}

function pairCase(
  random: () => number,
  mode: RnnMode,
  [B, T, I, H]: [number, number, number, number],
  options: { reverse?: boolean; lengths?: number[]; checkpoint?: number } = {},
): PairCase {
  const G = GATES_PER_MODE[mode];
  const s = 1 / Math.sqrt(H);
  const lstm = mode === 'LSTM';
  return {
    label: `${mode} B${B} T${T} I${I} H${H}${options.lengths ? ' lengths' : ''}${options.reverse ? ' reverse' : ''}${options.checkpoint ? ` checkpoint ${options.checkpoint}` : ''}`,
    mode,
    reverse: options.reverse ?? false,
    checkpoint: options.checkpoint,
    inputs: {
      x: randomF32([B, T, I], random),
      wIh: randomF32([2, G * H, I], random, -s, s),
      wHh: randomF32([2, G * H, H], random, -s, s),
      bIh: randomF32([2, G * H], random, -s, s),
      bHh: randomF32([2, G * H], random, -s, s),
      h0: randomF32([2, B, H], random, -0.5, 0.5),
      c0: lstm ? randomF32([2, B, H], random, -0.5, 0.5) : undefined,
      lengths: options.lengths && {
        values: Int32Array.from(options.lengths),
        shape: [B],
        dtype: 'int32',
      },
      dy: randomF32([B, T, 2 * H], random),
      dhN: randomF32([2, B, H], random),
      dcN: lstm ? randomF32([2, B, H], random) : undefined,
    },
  };
}

/** Block d of a host tensor stacked along its first axis. */
function blockOf(t: HostTensor, d: number): HostTensor {
  const size = t.values.length / t.shape[0];
  return { ...t, shape: t.shape.slice(1), values: t.values.slice(d * size, (d + 1) * size) };
}

/** Features [d*H, (d+1)*H) of each row of [B, T, 2H]. */
function halfOf(t: HostTensor, d: number): HostTensor {
  const [B, T, twoH] = t.shape;
  const H = twoH / 2;
  const out = new Float32Array(B * T * H);
  for (let r = 0; r < B * T; r++)
    out.set(t.values.subarray(r * twoH + d * H, r * twoH + (d + 1) * H), r * H);
  return { shape: [B, T, H], dtype: 'float32', values: out };
}

/** Forward (training) then backward with the given attributes; every output read back. */
function run(
  backend: Backend,
  c: PairCase,
  inputs: Record<string, HostTensor | undefined>,
  reverse: boolean,
  directions: 1 | 2,
): Record<string, HostTensor> {
  const owned: TensorInfo[] = [];
  const up = (t: HostTensor | undefined) => {
    if (!t) return undefined;
    const info = upload(backend, t);
    owned.push(info);
    return info;
  };
  const fwdInputs = {
    x: up(inputs.x)!,
    wIh: up(inputs.wIh)!,
    wHh: up(inputs.wHh)!,
    bIh: up(inputs.bIh)!,
    bHh: up(inputs.bHh)!,
    h0: up(inputs.h0)!,
    c0: up(inputs.c0),
    lengths: up(inputs.lengths),
  };
  const forward = backend.kernels.RnnForward as unknown as KernelFunc<'RnnForward', Backend>;
  const backward = backend.kernels.RnnBackward as unknown as KernelFunc<'RnnBackward', Backend>;
  const attrs = {
    mode: c.mode,
    reverse,
    ...(c.checkpoint ? { checkpoint: c.checkpoint } : {}),
    ...(directions === 2 ? { directions } : {}),
  };
  const fwd = forward(fwdInputs, { ...attrs, training: true }, backend);
  const bwd = backward(
    {
      ...fwdInputs,
      y: fwd.y,
      reserve: fwd.reserve,
      dy: up(inputs.dy)!,
      dhN: up(inputs.dhN)!,
      dcN: up(inputs.dcN),
    },
    attrs,
    backend,
  );
  const out: Record<string, HostTensor> = {};
  for (const [k, info] of [...Object.entries(fwd), ...Object.entries(bwd)]) {
    if (!info) continue;
    owned.push(info);
    if (k !== 'reserve') {
      out[k] = { shape: info.shape, dtype: info.dtype, values: backend.readSync(info.dataId) };
    }
  }
  for (const info of owned) backend.disposeData(info.dataId);
  return out;
}

/** Two single-direction calls, joined as the two-direction call's outputs. */
function twoCalls(backend: Backend, c: PairCase): Record<string, HostTensor> {
  const i = c.inputs;
  const [r0, r1] = [0, 1].map((d) => {
    const block = (t: HostTensor | undefined) => t && blockOf(t, d);
    return run(
      backend,
      c,
      {
        x: i.x,
        wIh: block(i.wIh),
        wHh: block(i.wHh),
        bIh: block(i.bIh),
        bHh: block(i.bHh),
        h0: block(i.h0),
        c0: block(i.c0),
        lengths: i.lengths,
        dy: halfOf(i.dy!, d),
        dhN: block(i.dhN),
        dcN: block(i.dcN),
      },
      (d === 1) !== c.reverse,
      1,
    );
  });
  const joined: Record<string, HostTensor> = {};
  for (const k of Object.keys(r0)) {
    const [a, b] = [r0[k], r1[k]];
    if (k === 'y') {
      const [B, T, H] = a.shape;
      const out = new Float32Array(B * T * 2 * H);
      for (let r = 0; r < B * T; r++) {
        out.set(a.values.subarray(r * H, (r + 1) * H), r * 2 * H);
        out.set(b.values.subarray(r * H, (r + 1) * H), r * 2 * H + H);
      }
      joined[k] = { shape: [B, T, 2 * H], dtype: 'float32', values: out };
    } else if (k === 'dx') {
      // Float32Array stores round the double sum of two floats as a float32 addition would.
      const out = new Float32Array(a.values.length);
      for (let n = 0; n < out.length; n++) out[n] = a.values[n] + b.values[n];
      joined[k] = { ...a, values: out };
    } else {
      const out = new Float32Array(2 * a.values.length);
      out.set(a.values);
      out.set(b.values, a.values.length);
      joined[k] = { shape: [2, ...a.shape], dtype: 'float32', values: out };
    }
  }
  return joined;
}

describe('two directions in one fused call', async () => {
  const { single, multi } = await singleAndMulti();
  const random = rng(77);
  const lengthsOf = (B: number, T: number) => spreadLengths(B, T, 7);
  const cases = [
    // Batches too small to split: the directions run on two threads.
    pairCase(random, 'LSTM', [4, 40, 64, 128]),
    pairCase(random, 'GRU', [6, 30, 48, 96], { lengths: lengthsOf(6, 30) }),
    pairCase(random, 'LSTM', [5, 33, 17, 64], { lengths: lengthsOf(5, 33), reverse: true }),
    // A split batch: both directions' parts in one task.
    pairCase(random, 'RNN_TANH', [40, 20, 64, 160], { lengths: lengthsOf(40, 20) }),
    pairCase(random, 'LSTM', [32, 25, 64, 128]),
    // Too little work to wake a worker: the directions in turn on the calling thread.
    pairCase(random, 'RNN_RELU', [3, 5, 4, 6], { lengths: [5, 0, 2] }),
    pairCase(random, 'GRU', [1, 1, 1, 1]),
    // Checkpointed: the one-direction checkpointed kernels in turn.
    pairCase(random, 'LSTM', [6, 23, 16, 32], { lengths: lengthsOf(6, 23), checkpoint: 5 }),
  ];

  for (const c of cases) {
    it(`equals two single-direction calls bit for bit, on one thread and three (${c.label})`, () => {
      const expected = twoCalls(single, c);
      for (const backend of [single, multi]) {
        const actual = run(backend, c, c.inputs, c.reverse, 2);
        expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
        for (const k of Object.keys(expected)) {
          const same =
            actual[k].shape.join() === expected[k].shape.join() &&
            sameBits(actual[k].values, expected[k].values);
          expect(same, `${backend.threads} threads ${k}`).toBe(true);
        }
      }
    });
  }

  it('runs the two directions of an unsplit batch on the workers too', () => {
    // The inference forward alone: its only parallel task is the recurrence's (direction) parts.
    const c = cases[0];
    const i = c.inputs;
    const owned = [i.x, i.wIh, i.wHh, i.bIh, i.bHh, i.h0, i.c0].map((t) => upload(multi, t!));
    const [x, wIh, wHh, bIh, bHh, h0, c0] = owned;
    const forward = multi.kernels.RnnForward as unknown as KernelFunc<'RnnForward', Backend>;
    const attrs = { mode: c.mode, reverse: false, directions: 2 as const, training: false };
    const deadline = Date.now() + 20_000;
    const before = multi.workerParts;
    while (multi.workerParts === before && Date.now() < deadline) {
      const out = forward({ x, wIh, wHh, bIh, bHh, h0, c0 }, attrs, multi);
      for (const info of Object.values(out)) if (info) multi.disposeData(info.dataId);
    }
    expect(multi.workerParts).toBeGreaterThan(before);
    for (const info of owned) multi.disposeData(info.dataId);
  });
});
