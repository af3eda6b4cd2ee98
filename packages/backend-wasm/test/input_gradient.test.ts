/**
 * RnnBackward with `inputGradient: false` (the layer's input is data): the wasm backend skips
 * the dx product, returns dx as zeros, and every other gradient is bit-identical to the full call.
 */
import type { Backend, KernelFunc, RnnMode, TensorInfo } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { rng, upload, wasmBackend } from './helpers.js';
import { randomRnnCase } from './rnn_util.js';

/** Every RnnBackward output read back, for the given `inputGradient`. */
function backwardOutputs(
  backend: Backend,
  mode: RnnMode,
  lengths: number[] | undefined,
): Record<'full' | 'noDx', Record<string, Float32Array>> {
  const c = randomRnnCase(rng(5), mode, 20, 7, 5, 9, false, lengths);
  const owned: TensorInfo[] = [];
  const up = <T extends Parameters<typeof upload>[1] | undefined>(t: T) => {
    if (!t) return undefined;
    const info = upload(backend, t);
    owned.push(info);
    return info;
  };
  const inputs = {
    x: up(c.x)!,
    wIh: up(c.wIh)!,
    wHh: up(c.wHh)!,
    bIh: up(c.bIh)!,
    bHh: up(c.bHh)!,
    h0: up(c.h0)!,
    c0: up(c.c0),
    lengths: up(c.lengths),
  };
  const forward = backend.kernels.RnnForward as unknown as KernelFunc<'RnnForward', Backend>;
  const backward = backend.kernels.RnnBackward as unknown as KernelFunc<'RnnBackward', Backend>;
  const fwd = forward(inputs, { mode, reverse: false, training: true }, backend);
  owned.push(...Object.values(fwd).filter((t): t is TensorInfo => t !== undefined));
  const cotangents = { dy: up(c.dy)!, dhN: up(c.dhN)!, dcN: up(c.dcN) };
  const run = (inputGradient: boolean) => {
    const g = backward(
      { ...inputs, y: fwd.y, reserve: fwd.reserve, ...cotangents },
      { mode, reverse: false, inputGradient },
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
  it.each([
    ['LSTM', undefined],
    ['GRU', undefined],
    ['LSTM', [7, 3, 0, 5, 7, 1, 2, 6, 7, 7, 4, 3, 2, 1, 7, 5, 6, 7, 3, 2]],
  ] as [RnnMode, number[] | undefined][])(
    '%s (lengths %j): dx is zeros, the other gradients are unchanged bit for bit',
    async (mode, lengths) => {
      const { full, noDx } = backwardOutputs(await wasmBackend(), mode, lengths);
      expect(full.dx.some((v) => v !== 0)).toBe(true);
      expect(noDx.dx.every((v) => v === 0)).toBe(true);
      expect(Object.keys(noDx).sort()).toEqual(Object.keys(full).sort());
      for (const k of Object.keys(full)) if (k !== 'dx') expect(noDx[k], k).toEqual(full[k]);
    },
  );
});
