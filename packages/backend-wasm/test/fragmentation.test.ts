/**
 * Fragmentation: large blocks that come and go every training step, with small long-lived ones
 * (parameters, optimizer moments) replaced between them, must not drift through the arena and
 * split the free space (address-ordered first fit), and a scratch block left in the middle of
 * the free space by an earlier call must not make a large request fail (released and retried).
 */
import {
  adamUpdate,
  getBackend,
  keep,
  matMul,
  mul,
  registerBackend,
  rnnSequence,
  setBackend,
  sum,
  type Tensor,
  tensor,
  tidy,
  variable,
  variableGrads,
  zeros,
  zerosLike,
} from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { createWasmBackend, MEMORY_CEILING_BYTES, type WasmBackend } from '../src/index.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

describe('allocator placement', () => {
  it('trains in the memory of its first steps: Adam replacing parameters between large blocks does not spread them', async () => {
    registerBackend('wasm-frag', () => createWasmBackend({ name: 'wasm-frag', threads: 0 }), 0);
    await setBackend('wasm-frag');
    const wasm = getBackend() as WasmBackend;
    // The shape of the long-sequence workload, scaled down: the reserve and the backward's work
    // area dwarf the parameters, which Adam replaces (new tensors) after every step.
    const [B, T, I, H, U] = [32, 100, 64, 256, 10];
    const wave = (n: number, f: number, a = 1) =>
      Array.from({ length: n }, (_, k) => a * Math.sin(f * k));
    const x = tensor(wave(B * T * I, 0.37), [B, T, I]);
    const target = tensor(wave(B * U, 0.11), [B, U]);
    const s = 1 / Math.sqrt(H);
    const params = [
      variable(tensor(wave(4 * H * I, 0.13, s), [4 * H, I])),
      variable(tensor(wave(4 * H * H, 0.17, s), [4 * H, H])),
      variable(tensor(wave(4 * H, 0.19, s), [4 * H])),
      variable(tensor(wave(4 * H, 0.23, s), [4 * H])),
      variable(tensor(wave(H * U, 0.29, s), [H, U])),
    ];
    let moments: [Tensor, Tensor][] | undefined;
    const pages: number[] = [];
    for (let step = 1; step <= 12; step++) {
      tidy(() => {
        const { grads } = variableGrads(() => {
          const { hN } = rnnSequence({
            mode: 'LSTM',
            x,
            wIh: params[0],
            wHh: params[1],
            bIh: params[2],
            bHh: params[3],
            h0: zeros([B, H]),
            c0: zeros([B, H]),
          });
          return sum(mul(matMul(hN, params[4]), target));
        }, params);
        moments ??= params.map((p) => [keep(zerosLike(p)), keep(zerosLike(p))]);
        params.forEach((p, k) => {
          const [m, v] = (moments as [Tensor, Tensor][])[k];
          const next = adamUpdate(p, grads[k], m, v, { lr: 1e-3, step });
          p.assign(next.param);
          m.dispose();
          v.dispose();
          (moments as [Tensor, Tensor][])[k] = [keep(next.m), keep(next.v)];
        });
      });
      pages.push(wasm.wasm.memoryPages());
    }
    // Every step fits in the memory of the first (the bins' most-recently-freed order grew it by
    // a third at the second step, for the same tensors).
    expect(pages).toEqual(pages.map(() => pages[0]));
    x.dispose();
    target.dispose();
    for (const p of params) p.dispose();
    for (const t of (moments ?? []).flat()) t.dispose();
  });
});

describe('a scratch block in the way', () => {
  it('is released so that a request larger than the space on either side of it succeeds', async () => {
    let backend: WasmBackend | undefined;
    registerBackend(
      'wasm-scratch',
      async () => {
        backend = await createWasmBackend({ name: 'wasm-scratch', threads: 0 });
        return backend;
      },
      0,
    );
    await setBackend('wasm-scratch');
    const wasm = backend as WasmBackend;
    const a = tensor(
      Array.from({ length: 64 * 256 }, (_, k) => Math.sin(k)),
      [64, 256],
    );
    const b = tensor(
      Array.from({ length: 256 * 512 }, (_, k) => Math.cos(k)),
      [256, 512],
    );
    // A product run while a 2 GiB block is held leaves its packing buffers above that block.
    const held = wasm.allocTemp(2 * GiB);
    tidy(() => matMul(a, b).dataSync());
    wasm.freeTemp(held);
    // Neither the 2 GiB below those buffers nor what is left above them holds this request.
    const big = wasm.allocTemp(MEMORY_CEILING_BYTES - 64 * MiB);
    expect(big).toBeGreaterThan(0);
    wasm.freeTemp(big);
    // And the backend goes on working.
    expect(tidy(() => matMul(a, b).dataSync()).length).toBe(64 * 512);
    a.dispose();
    b.dispose();
  });
});
