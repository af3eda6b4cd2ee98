/**
 * The allocator past its old limits: one block larger than 1 GiB, tensors at addresses above
 * 2 GiB (where the module's i32 pointers turn negative in JavaScript), and a typed
 * OutOfMemoryError when the 4 GiB ceiling is really reached, after which the same backend
 * still trains. The large blocks are reserved, never written, so the process touches little
 * of the memory it grows.
 */
import {
  add,
  matMul,
  mul,
  OutOfMemoryError,
  registerBackend,
  rnnSequence,
  setBackend,
  sum,
  tensor,
  tidy,
  variable,
  variableGrads,
  zeros,
} from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { createWasmBackend, MEMORY_CEILING_BYTES, type WasmBackend } from '../src/index.js';

const GiB = 2 ** 30;

describe('allocation up to the 4 GiB ceiling', () => {
  it('serves a 2.25 GiB block and tensors above 2 GiB, then refuses with a typed error and trains on', async () => {
    let backend: WasmBackend | undefined;
    registerBackend(
      'wasm-oom',
      async () => {
        backend = await createWasmBackend({ name: 'wasm-oom', threads: 0 });
        return backend;
      },
      0,
    );
    await setBackend('wasm-oom');
    const wasm = backend as WasmBackend;

    const big = wasm.allocTemp(2.25 * GiB);
    expect(big).toBeGreaterThan(0);
    // Allocated after the big block, so its address is above 2 GiB.
    const a = tensor([1, 2, 3, 4], [4]);
    const b = tensor([10, 20, 30, 40], [4]);
    expect(wasm.ptr(a as never)).toBeGreaterThan(2 * GiB);
    expect(Array.from(tidy(() => add(a, b).dataSync()))).toEqual([11, 22, 33, 44]);

    // A [23170, 23170] product asks for 2 GiB more, of the 1.75 GiB left.
    const n = 23170;
    const column = zeros([n, 1]);
    const row = zeros([1, n]);
    let caught: unknown;
    try {
      matMul(column, row);
    } catch (error) {
      caught = error;
    }
    column.dispose();
    row.dispose();
    expect(caught).toBeInstanceOf(OutOfMemoryError);
    const oom = caught as OutOfMemoryError;
    expect(oom.requested).toBe(n * n * 4);
    expect(oom.ceiling).toBe(MEMORY_CEILING_BYTES);
    expect(oom.available).toBeGreaterThan(1.5 * GiB);
    expect(oom.available).toBeLessThan(2 * GiB);
    expect(oom.message).toMatch(/asked for 2147395600 bytes .* left .* ceiling/);
    expect(oom.message).toMatch(/checkpoint: true/);
    expect(oom.message).toMatch(/truncated BPTT/);
    expect(oom.message).toMatch(/'cpu' backend/);

    // The failed call left nothing behind, and training on the same backend works.
    const before = wasm.memory().numDataIds;
    const [B, T, I, H] = [2, 50, 3, 8];
    const x = tensor(
      Array.from({ length: B * T * I }, (_, k) => Math.sin(k)),
      [B, T, I],
    );
    const w = tidy(() => [
      variable(
        tensor(
          Array.from({ length: 4 * H * I }, (_, k) => 0.1 * Math.cos(k)),
          [4 * H, I],
        ),
      ),
      variable(
        tensor(
          Array.from({ length: 4 * H * H }, (_, k) => 0.1 * Math.sin(k)),
          [4 * H, H],
        ),
      ),
    ]);
    const loss = () =>
      tidy(() => {
        const { value, grads } = variableGrads(() => {
          const { hN } = rnnSequence({
            mode: 'LSTM',
            x,
            wIh: w[0],
            wHh: w[1],
            bIh: zeros([4 * H]),
            bHh: zeros([4 * H]),
            h0: zeros([B, H]),
            c0: zeros([B, H]),
            checkpoint: true,
          });
          return sum(hN);
        }, w);
        w.forEach((p, k) => {
          p.assign(add(p, mul(grads[k], -0.1)));
        });
        return value.dataSync()[0];
      });
    const first = loss();
    for (let step = 0; step < 5; step++) loss();
    expect(loss()).toBeLessThan(first);
    x.dispose();
    for (const p of w) p.dispose();
    a.dispose();
    b.dispose();
    expect(wasm.memory().numDataIds).toBe(before - 2);
    wasm.freeTemp(big);
  });
});
