/**
 * RnnBackward with `inputGradient: false` (the layer's input is data): the wasm backend skips
 * the dx product, returns dx as zeros, and every other gradient is bit-identical to the full call
 * (one direction, with and without lengths, and both directions in one call).
 */
import type { Backend, KernelFunc, RnnMode, Shape, TensorInfo } from '@rnnkit/core';
import { GATES_PER_MODE } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { randomF32, rng, upload, wasmBackend } from './helpers.js';

/** Every RnnBackward output read back, with and without the input gradient. */
function backwardOutputs(
  backend: Backend,
  mode: RnnMode,
  D: 1 | 2,
  lengths: number[] | undefined,
): Record<'full' | 'noDx', Record<string, Float32Array>> {
  const [B, T, I, H] = [20, 7, 5, 9];
  const GH = GATES_PER_MODE[mode] * H;
  const random = rng(5);
  const owned: TensorInfo[] = [];
  const up = (shape: Shape, lo = -1, hi = 1) => {
    const stacked = D === 1 ? shape : [D, ...shape];
    const info = upload(backend, randomF32(stacked, random, lo, hi));
    owned.push(info);
    return info;
  };
  const s = 1 / Math.sqrt(H);
  const inputs = {
    x: upload(backend, randomF32([B, T, I], random)),
    wIh: up([GH, I], -s, s),
    wHh: up([GH, H], -s, s),
    bIh: up([GH], -s, s),
    bHh: up([GH], -s, s),
    h0: up([B, H], -0.5, 0.5),
    c0: mode === 'LSTM' ? up([B, H], -0.5, 0.5) : undefined,
    lengths: lengths
      ? upload(backend, { values: Int32Array.from(lengths), shape: [B], dtype: 'int32' })
      : undefined,
  };
  owned.push(inputs.x, ...(inputs.lengths ? [inputs.lengths] : []));
  const attrs = { mode, reverse: false, ...(D === 2 ? { directions: D } : {}) };
  const forward = backend.kernels.RnnForward as unknown as KernelFunc<'RnnForward', Backend>;
  const backward = backend.kernels.RnnBackward as unknown as KernelFunc<'RnnBackward', Backend>;
  const fwd = forward(inputs, { ...attrs, training: true }, backend);
  owned.push(...Object.values(fwd).filter((t): t is TensorInfo => t !== undefined));
  const dy = upload(backend, randomF32([B, T, D * H], random));
  owned.push(dy);
  const cotangents = { dy, dhN: up([B, H]), dcN: mode === 'LSTM' ? up([B, H]) : undefined };
  const run = (inputGradient: boolean) => {
    const g = backward(
      { ...inputs, y: fwd.y, reserve: fwd.reserve, ...cotangents },
      { ...attrs, inputGradient },
      backend,
    );
    const out: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(g)) {
      if (!v) continue;
      out[k] = backend.readSync(v.dataId) as Float32Array;
      owned.push(v);
    }
    return out;
  };
  const result = { full: run(true), noDx: run(false) };
  for (const info of owned) backend.disposeData(info.dataId);
  return result;
}

describe('RnnBackward with inputGradient: false', () => {
  const lengths = [7, 3, 0, 5, 7, 1, 2, 6, 7, 7, 4, 3, 2, 1, 7, 5, 6, 7, 3, 2];
  it.each([
    ['LSTM', 1, undefined],
    ['GRU', 1, undefined],
    ['LSTM', 1, lengths],
    ['LSTM', 2, undefined],
    ['GRU', 2, lengths],
  ] as [RnnMode, 1 | 2, number[] | undefined][])(
    '%s, %i direction(s), lengths %j: dx is zeros, the other gradients are unchanged bit for bit',
    async (mode, D, lens) => {
      const { full, noDx } = backwardOutputs(await wasmBackend(), mode, D, lens);
      expect(full.dx.some((v) => v !== 0)).toBe(true);
      expect(noDx.dx.every((v) => v === 0)).toBe(true);
      expect(Object.keys(noDx).sort()).toEqual(Object.keys(full).sort());
      for (const k of Object.keys(full)) if (k !== 'dx') expect(noDx[k], k).toEqual(full[k]);
    },
  );
});
