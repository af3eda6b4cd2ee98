/**
 * cpu's `AdamUpdate` kernel: the first step's size, and float32 storage rounded operation by
 * operation exactly like the composed ops (its own way of computing in float32). The hand-worked
 * steps and every other backend-agnostic case are in @rnnkit/conformance.
 */
import type { AdamAttrs } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { expectClose, get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { adamUpdate } from './AdamUpdate.js';

const BASE: AdamAttrs = {
  lr: 0.1,
  beta1: 0.5,
  beta2: 0,
  eps: 0,
  weightDecay: 0,
  decoupled: false,
  step: 1,
};

describe('AdamUpdate', () => {
  // β₁ = 0.5, β₂ = 0, t = 1: bc1 = 0.5 (step size lr/bc1 = 0.2), bc2 = 1, and v' = g², so every
  // value below is exact in binary.
  it("Adam's first step moves each weight by lr against its gradient's sign", () => {
    const backend = new CpuBackend();
    const p = [0.5, -1.25, 2];
    const g = [0.1, -0.2, 0.3];
    const attrs = { ...BASE, lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    const out = adamUpdate(
      {
        param: put(backend, p, [3]),
        grad: put(backend, g, [3]),
        m: put(backend, [0, 0, 0], [3]),
        v: put(backend, [0, 0, 0], [3]),
      },
      attrs,
      backend,
    );
    expect(out.param.shape).toEqual([3]);
    expect(out.param.dtype).toBe('float64');
    expectClose(
      get(backend, out.param),
      p.map((pi, i) => pi - (0.01 * g[i]) / (Math.abs(g[i]) + 1e-8)),
      1e-15,
    );
    expectClose(
      get(backend, out.m),
      g.map((gi) => 0.1 * gi),
      1e-16,
    );
    expectClose(
      get(backend, out.v),
      g.map((gi) => 0.001 * gi * gi),
      1e-16,
    );
  });

  it('keeps float32 storage, rounding every operation like the composed ops, and leaves its inputs alone', () => {
    const backend = new CpuBackend();
    const attrs = { ...BASE, lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 };
    const inputs = {
      param: put(backend, [0.3, -0.7], [1, 2], 'float32'),
      grad: put(backend, [0.05, 0.2], [1, 2], 'float32'),
      m: put(backend, [0.01, -0.02], [1, 2], 'float32'),
      v: put(backend, [1e-4, 2e-4], [1, 2], 'float32'),
    };
    const before = Object.fromEntries(
      Object.entries(inputs).map(([k, info]) => [k, get(backend, info)]),
    );
    const out = adamUpdate(inputs, attrs, backend);
    for (const info of [out.param, out.m, out.v]) {
      expect(info.dtype).toBe('float32');
      expect(info.shape).toEqual([1, 2]);
    }
    for (const [k, info] of Object.entries(inputs)) expect(get(backend, info)).toEqual(before[k]);
    // What the composed ops compute: every scalar and every result rounded to float32.
    const f = Math.fround;
    const [p, g, m, v] = ['param', 'grad', 'm', 'v'].map((k) => before[k]);
    const want = { p: [] as number[], m: [] as number[], v: [] as number[] };
    for (let i = 0; i < 2; i++) {
      const d = f(g[i] + f(p[i] * f(0.01)));
      const mi = f(f(m[i] * f(0.9)) + f(d * f(1 - 0.9)));
      const vi = f(f(v[i] * f(0.999)) + f(f(d * d) * f(1 - 0.999)));
      const denom = f(f(f(Math.sqrt(vi)) / f(Math.sqrt(1 - 0.999))) + f(1e-8));
      want.p.push(f(p[i] - f(f(mi / denom) * f(0.01 / (1 - 0.9)))));
      want.m.push(mi);
      want.v.push(vi);
    }
    expect(get(backend, out.param)).toEqual(want.p);
    expect(get(backend, out.m)).toEqual(want.m);
    expect(get(backend, out.v)).toEqual(want.v);
  });
});
