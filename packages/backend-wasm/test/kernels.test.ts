/**
 * The wasm backend's own vector approximations of exp, tanh and sigmoid, held to their relative
 * accuracy over a wide range (the conformance suite compares every kernel with cpu relative to
 * a tensor's scale, which cannot see a relative error in the far tails). Every backend-agnostic
 * kernel case lives in @rnnkit/conformance.
 */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../src/index.js';
import { runKernel } from './helpers.js';

describe('vector exp, tanh and sigmoid', () => {
  it('stay within 5e-7 relative error of the float64 functions over [-20, 20]', async () => {
    const wasm = await createWasmBackend();
    const values = new Float32Array(4001);
    for (let i = 0; i < values.length; i++) values[i] = -20 + i * 0.01;
    const x = { values, shape: [values.length], dtype: 'float32' as const };
    const exact = {
      exp: Math.exp,
      tanh: Math.tanh,
      sigmoid: (v: number) => 1 / (1 + Math.exp(-v)),
    };
    for (const op of ['exp', 'tanh', 'sigmoid'] as const) {
      const y = runKernel(wasm, 'Unary', { x }, { op }).y.values;
      let worst = 0;
      for (let i = 0; i < values.length; i++) {
        const e = exact[op](values[i]);
        if (e !== 0) worst = Math.max(worst, Math.abs(y[i] - e) / Math.abs(e));
      }
      expect(worst, op).toBeLessThan(5e-7);
    }
  });
});
