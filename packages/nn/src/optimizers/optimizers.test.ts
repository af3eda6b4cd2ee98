/**
 * Tests of the optimizers against hand-computed steps and PyTorch's update rules, schedules and
 * clipping.
 */
import '@rnnkit/backend-cpu';
import {
  add,
  div,
  memory,
  mul,
  setBackend,
  sqrt,
  square,
  sub,
  sum,
  type Tensor,
  tensor,
  tidy,
  type Variable,
  variable,
} from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Adagrad,
  Adam,
  AdamW,
  clipByGlobalNorm,
  clipByValue,
  cosineLR,
  exponentialLR,
  type Optimizer,
  RMSprop,
  SGD,
  stepLR,
  warmupLR,
} from './index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const P0 = [0.5, -1.25, 2];
// Gradients of successive steps (independent of p, so the reference needs no autodiff).
const GRADS = [
  [0.1, -0.2, 0.3],
  [-0.4, 0.05, 0.2],
  [0.3, 0.3, -0.1],
  [0.01, -0.5, 0.25],
];

/** Runs `opt` on a float64 variable over GRADS and returns the parameter after each step. */
function run(opt: Optimizer): number[][] {
  const p = variable(tensor(P0, [3], 'float64'), 'p');
  const out: number[][] = [];
  for (const g of GRADS) {
    const gt = tensor(g, [3], 'float64');
    opt.applyGradients([p], [gt]);
    gt.dispose();
    out.push(Array.from(p.dataSync()));
  }
  p.dispose();
  opt.dispose();
  return out;
}

/** Scalar reference written from PyTorch's documented algorithm, one element at a time. */
function reference(
  stepFn: (p: number, g: number, t: number, st: Record<string, number>) => number,
): number[][] {
  const state = P0.map(() => ({}) as Record<string, number>);
  const p = [...P0];
  return GRADS.map((gs, k) => {
    for (let i = 0; i < 3; i++) p[i] = stepFn(p[i], gs[i], k + 1, state[i]);
    return [...p];
  });
}

function expectClose(a: number[][], b: number[][], digits = 13): void {
  a.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(b[i][j], digits)));
}

describe('SGD', () => {
  it('plain step p - lr*g (hand-computed)', () => {
    const out = run(new SGD({ lr: 0.1 }));
    expect(out[0]).toEqual([0.5 - 0.01, -1.25 + 0.02, 2 - 0.03].map((v) => expect.closeTo(v, 14)));
  });
  it('momentum, dampening and weight decay match PyTorch', () => {
    const [lr, mu, tau, wd] = [0.1, 0.9, 0.1, 0.01];
    const ref = reference((p, g, t, st) => {
      g = g + wd * p;
      st.b = t === 1 ? g : mu * st.b + (1 - tau) * g;
      return p - lr * st.b;
    });
    expectClose(run(new SGD({ lr, momentum: mu, dampening: tau, weightDecay: wd })), ref);
  });
  it('Nesterov matches PyTorch', () => {
    const [lr, mu] = [0.05, 0.8];
    const ref = reference((p, g, t, st) => {
      st.b = t === 1 ? g : mu * st.b + g;
      return p - lr * (g + mu * st.b);
    });
    expectClose(run(new SGD({ lr, momentum: mu, nesterov: true })), ref);
  });
  it('refuses Nesterov without momentum', () => {
    expect(() => new SGD({ nesterov: true })).toThrow(/Nesterov/);
  });
});

describe('Adam / AdamW', () => {
  it('first step moves each weight by about lr in the direction of -sign(g) (hand-computed)', () => {
    const out = run(new Adam({ lr: 0.01 }));
    // m̂ = g, v̂ = g², step = lr·g/(|g| + ε)
    P0.forEach((p, i) =>
      expect(out[0][i]).toBeCloseTo(p - (0.01 * GRADS[0][i]) / (Math.abs(GRADS[0][i]) + 1e-8), 13),
    );
  });
  const adamRef = (
    lr: number,
    b1: number,
    b2: number,
    eps: number,
    wd: number,
    decoupled: boolean,
    ams: boolean,
  ) =>
    reference((p, g, t, st) => {
      if (decoupled) p = p * (1 - lr * wd);
      else g = g + wd * p;
      st.m = b1 * (st.m ?? 0) + (1 - b1) * g;
      st.v = b2 * (st.v ?? 0) + (1 - b2) * g * g;
      st.vmax = Math.max(st.vmax ?? 0, st.v);
      const bc1 = 1 - b1 ** t;
      const bc2 = 1 - b2 ** t;
      const denom = Math.sqrt(ams ? st.vmax : st.v) / Math.sqrt(bc2) + eps;
      return p - (lr / bc1) * (st.m / denom);
    });
  it('Adam with L2 matches PyTorch', () => {
    expectClose(
      run(new Adam({ lr: 0.01, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1 })),
      adamRef(0.01, 0.8, 0.95, 1e-6, 0.1, false, false),
    );
  });
  it('AMSGrad matches PyTorch', () => {
    expectClose(
      run(new Adam({ lr: 0.02, amsgrad: true })),
      adamRef(0.02, 0.9, 0.999, 1e-8, 0, false, true),
    );
  });
  it('AdamW decouples weight decay (default 0.01)', () => {
    expectClose(run(new AdamW({ lr: 0.01 })), adamRef(0.01, 0.9, 0.999, 1e-8, 0.01, true, false));
  });

  /** The composed core ops Adam ran before its fused kernel, over GRADS in `dtype`. */
  const composedAdam = (dtype: 'float32' | 'float64', wd: number, decoupled: boolean) => {
    const [lr, b1, b2, eps] = [0.01, 0.8, 0.95, 1e-6];
    let p: Tensor = tensor(P0, [3], dtype);
    let m: Tensor = tensor([0, 0, 0], [3], dtype);
    let v: Tensor = tensor([0, 0, 0], [3], dtype);
    const out: number[][] = [];
    GRADS.forEach((gs, k) => {
      const t = k + 1;
      const previous = [p, m, v];
      [p, m, v] = tidy(() => {
        let g = tensor(gs, [3], dtype);
        let q = p;
        if (decoupled) q = mul(q, 1 - lr * wd);
        else g = add(g, mul(q, wd));
        const m2 = add(mul(m, b1), mul(g, 1 - b1));
        const v2 = add(mul(v, b2), mul(square(g), 1 - b2));
        const denom = add(div(sqrt(v2), Math.sqrt(1 - b2 ** t)), eps);
        return [sub(q, mul(div(m2, denom), lr / (1 - b1 ** t))), m2, v2];
      });
      for (const x of previous) x.dispose();
      out.push(Array.from(p.dataSync()));
    });
    for (const x of [p, m, v]) x.dispose();
    return out;
  };
  const fusedAdam = (dtype: 'float32' | 'float64', wd: number, decoupled: boolean) => {
    const options = { lr: 0.01, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: wd };
    const opt = decoupled ? new AdamW(options) : new Adam(options);
    const p = variable(tensor(P0, [3], dtype), 'p');
    const out = GRADS.map((gs) => {
      const g = tensor(gs, [3], dtype);
      opt.applyGradients([p], [g]);
      g.dispose();
      return Array.from(p.dataSync());
    });
    p.dispose();
    opt.dispose();
    return out;
  };
  it.each([
    ['Adam', 'float64', 0.1, false],
    ['AdamW', 'float64', 0.1, true],
    ['Adam', 'float32', 0.1, false],
    ['AdamW', 'float32', 0.1, true],
    ['Adam without decay', 'float32', 0, false],
  ] as const)(
    '%s: the fused kernel equals the composed ops bit for bit in %s',
    (_n, dtype, wd, dec) => {
      expect(fusedAdam(dtype, wd, dec)).toEqual(composedAdam(dtype, wd, dec));
    },
  );
  it('refuses betas outside [0, 1) and a negative eps', () => {
    expect(() => new Adam({ beta1: 1 })).toThrow(/'beta1' must be in \[0, 1\)/);
    expect(() => new AdamW({ beta2: -0.1 })).toThrow(/AdamW: option 'beta2'/);
    expect(() => new Adam({ eps: -1 })).toThrow(/'eps'/);
  });
});

describe('RMSprop', () => {
  const rmsRef = (
    lr: number,
    alpha: number,
    eps: number,
    mu: number,
    centered: boolean,
    wd: number,
  ) =>
    reference((p, g, _t, st) => {
      g = g + wd * p;
      st.s = alpha * (st.s ?? 0) + (1 - alpha) * g * g;
      let avg: number;
      if (centered) {
        st.ga = alpha * (st.ga ?? 0) + (1 - alpha) * g;
        avg = Math.sqrt(st.s - st.ga * st.ga) + eps;
      } else avg = Math.sqrt(st.s) + eps;
      if (mu > 0) {
        st.b = mu * (st.b ?? 0) + g / avg;
        return p - lr * st.b;
      }
      return p - (lr * g) / avg;
    });
  it('plain matches PyTorch', () => {
    expectClose(run(new RMSprop({ lr: 0.01 })), rmsRef(0.01, 0.99, 1e-8, 0, false, 0));
  });
  it('centered with momentum and weight decay matches PyTorch', () => {
    expectClose(
      run(new RMSprop({ lr: 0.005, alpha: 0.9, momentum: 0.5, centered: true, weightDecay: 0.05 })),
      rmsRef(0.005, 0.9, 1e-8, 0.5, true, 0.05),
      12,
    );
  });
});

describe('Adagrad', () => {
  it('matches PyTorch with lr decay and an initial accumulator', () => {
    const [lr, decay, init, eps] = [0.1, 0.05, 0.1, 1e-10];
    const ref = reference((p, g, t, st) => {
      st.s = (st.s ?? init) + g * g;
      return p - (lr / (1 + (t - 1) * decay)) * (g / (Math.sqrt(st.s) + eps));
    });
    expectClose(run(new Adagrad({ lr, lrDecay: decay, initialAccumulatorValue: init })), ref);
  });
  it('first step is lr·g/|g| (hand-computed)', () => {
    const out = run(new Adagrad({ lr: 0.1 }));
    P0.forEach((p, i) => expect(out[0][i]).toBeCloseTo(p - 0.1 * Math.sign(GRADS[0][i]), 9));
  });
});

describe('schedules', () => {
  it('step, exponential, cosine, warm-up', () => {
    const s = stepLR({ lr: 1, stepSize: 2, gamma: 0.5 });
    expect([0, 1, 2, 3, 4].map(s)).toEqual([1, 1, 0.5, 0.5, 0.25]);
    expect(exponentialLR({ lr: 2, gamma: 0.5 })(3)).toBe(0.25);
    const c = cosineLR({ lr: 1, totalSteps: 10, minLr: 0.1 });
    expect(c(0)).toBeCloseTo(1);
    expect(c(5)).toBeCloseTo(0.55);
    expect(c(10)).toBeCloseTo(0.1);
    expect(c(20)).toBeCloseTo(0.1);
    const w = warmupLR(1, { warmupSteps: 4, startFactor: 0 });
    expect([0, 1, 2, 4, 9].map(w)).toEqual([0, 0.25, 0.5, 1, 1]);
  });
  it('the optimizer uses the scheduled rate of each update', () => {
    const out = run(new SGD({ lr: stepLR({ lr: 0.1, stepSize: 1, gamma: 0.5 }) }));
    const ref = reference((p, g, t) => p - 0.1 * 0.5 ** (t - 1) * g);
    expectClose(out, ref);
  });
});

describe('clipping', () => {
  it('by global norm like clip_grad_norm_', () => {
    const a = tensor([3, 0], [2], 'float64');
    const b = tensor([4], [1], 'float64');
    const { grads, norm } = clipByGlobalNorm([a, b], 1);
    expect(norm.item()).toBeCloseTo(5, 12);
    const coef = 1 / (5 + 1e-6);
    expect(Array.from(grads[0].dataSync())).toEqual([expect.closeTo(3 * coef, 12), 0]);
    expect(grads[1].item()).toBeCloseTo(4 * coef, 12);
    // below the threshold nothing changes
    expect(clipByGlobalNorm([a, b], 10).grads[1].item()).toBe(4);
  });
  it('by value', () => {
    expect(Array.from(clipByValue([tensor([-3, 0.5, 7])], 1)[0].dataSync())).toEqual([-1, 0.5, 1]);
  });
  it('optimizer clips before the update', () => {
    const p = variable(tensor([0, 0], [2], 'float64'), 'p');
    new SGD({ lr: 1, clipNorm: 1 }).applyGradients([p], [tensor([3, 4], [2], 'float64')]);
    expect(Array.from(p.dataSync())).toEqual([expect.closeTo(-0.6, 6), expect.closeTo(-0.8, 6)]);
  });
});

describe('backend residency and memory', () => {
  it('minimize trains a quadratic and leaks nothing across steps', () => {
    const w = variable(tensor([1, -2, 3]), 'w');
    const opt = new Adam({ lr: 0.1, clipNorm: 10 });
    const loss = () => sum(square(w)) as Tensor;
    opt.minimize(loss, [w]).dispose();
    const before = memory().numTensors;
    for (let i = 0; i < 200; i++) opt.minimize(loss, [w]).dispose();
    expect(memory().numTensors).toBe(before);
    expect(tidy(() => sum(square(w))).item()).toBeLessThan(0.05);
    const slots: Variable[] = opt.slotVariables();
    expect(slots.length).toBe(2);
    opt.dispose();
    w.dispose();
  });
});
