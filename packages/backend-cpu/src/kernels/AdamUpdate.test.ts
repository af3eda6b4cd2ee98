/**
 * Tests of cpu's `AdamUpdate` kernel: Adam, Adam with L2 and AdamW steps by hand, float32
 * rounding, empty tensors.
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

/** One call on one-element tensors p, g, m, v; returns the outputs as numbers. */
function step1(attrs: AdamAttrs, p: number, g: number, m: number, v: number) {
  const backend = new CpuBackend();
  const out = adamUpdate(
    {
      param: put(backend, [p], [1]),
      grad: put(backend, [g], [1]),
      m: put(backend, [m], [1]),
      v: put(backend, [v], [1]),
    },
    attrs,
    backend,
  );
  return { p: get(backend, out.param)[0], m: get(backend, out.m)[0], v: get(backend, out.v)[0] };
}

describe('AdamUpdate', () => {
  // β₁ = 0.5, β₂ = 0, t = 1: bc1 = 0.5 (step size lr/bc1 = 0.2), bc2 = 1, and v' = g², so every
  // value below is exact in binary.
  it('plain Adam step (hand-computed)', () => {
    // m' = 0.5·1 + 0.5·2 = 1.5, v' = 4, p' = 1 − (1.5 / 2)·0.2 = 0.85
    const r = step1(BASE, 1, 2, 1, 7);
    expect(r.m).toBe(1.5);
    expect(r.v).toBe(4);
    expect(r.p).toBeCloseTo(0.85, 15);
  });

  it("Adam's L2 adds wd·p to the gradient (hand-computed)", () => {
    // g = 2 + 0.5·1 = 2.5, m' = 0.5 + 1.25 = 1.75, v' = 6.25, p' = 1 − (1.75 / 2.5)·0.2 = 0.86
    const r = step1({ ...BASE, weightDecay: 0.5 }, 1, 2, 1, 7);
    expect(r.m).toBe(1.75);
    expect(r.v).toBe(6.25);
    expect(r.p).toBeCloseTo(0.86, 15);
  });

  it("AdamW's decoupled decay scales p by 1 − lr·wd first (hand-computed)", () => {
    // p = 1·(1 − 0.05) = 0.95; g unchanged: m' = 1.5, v' = 4, p' = 0.95 − 0.75·0.2 = 0.8
    const r = step1({ ...BASE, weightDecay: 0.5, decoupled: true }, 1, 2, 1, 7);
    expect(r.m).toBe(1.5);
    expect(r.v).toBe(4);
    expect(r.p).toBeCloseTo(0.8, 15);
  });

  it('applies both bias corrections and ε (hand-computed, step 2)', () => {
    // β₁ = 0.5, β₂ = 0.75, t = 2: bc1 = 0.75, bc2 = 0.4375. m' = 0.5·0.2 + 0.5·0.4 = 0.3,
    // v' = 0.75·0.04 + 0.25·0.16 = 0.07, p' = 1 − (0.3 / (√0.07 / √0.4375 + 1e-3))·(0.3 / 0.75)
    const r = step1({ ...BASE, lr: 0.3, beta2: 0.75, eps: 1e-3, step: 2 }, 1, 0.4, 0.2, 0.04);
    expect(r.m).toBeCloseTo(0.3, 15);
    expect(r.v).toBeCloseTo(0.07, 15);
    expect(r.p).toBeCloseTo(1 - (0.3 / (Math.sqrt(0.07 / 0.4375) + 1e-3)) * 0.4, 14);
  });

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

  it('handles empty tensors', () => {
    const backend = new CpuBackend();
    const e = () => put(backend, [], [0, 3]);
    const out = adamUpdate({ param: e(), grad: e(), m: e(), v: e() }, BASE, backend);
    expect(out.param.shape).toEqual([0, 3]);
    expect(get(backend, out.v)).toEqual([]);
  });
});
