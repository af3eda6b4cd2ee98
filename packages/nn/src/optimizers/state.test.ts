// Optimizer.getState / setState: a restored optimizer continues bit for bit like the original.
import '@rnnkit/backend-cpu';
import { memory, setBackend, tensor, variable } from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adagrad, Adam, AdamW, cosineLR, type Optimizer, RMSprop, SGD, warmupLR } from './index.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const GRADS = [
  [0.1, -0.2, 0.3, 0.7],
  [-0.4, 0.05, 0.2, -0.1],
  [0.3, 0.3, -0.1, 0.2],
  [0.01, -0.5, 0.25, 0.6],
  [-0.2, 0.1, 0.4, -0.3],
];

/** Parameters after every step of GRADS, with the optimizer replaced by a restored copy after `cut` steps. */
function run(make: () => Optimizer, cut?: number): number[][] {
  const p = variable(tensor([0.5, -1.25, 2, 0.1], [2, 2], 'float32'), 'p');
  const frozen = variable(tensor([1], [1], 'float32'), 'frozen', false);
  let opt = make();
  const out: number[][] = [];
  GRADS.forEach((g, k) => {
    if (k === cut) {
      const saved = structuredClone(opt.getState([p, frozen]));
      opt.dispose();
      opt = make();
      opt.setState([p, frozen], saved);
    }
    const gt = tensor(g, [2, 2], 'float32');
    const gf = tensor([0.5], [1], 'float32');
    opt.applyGradients([p, frozen], [gt, gf]);
    gt.dispose();
    gf.dispose();
    out.push(Array.from(p.dataSync()));
  });
  opt.dispose();
  p.dispose();
  frozen.dispose();
  return out;
}

const schedule = () =>
  warmupLR(cosineLR({ lr: 0.05, totalSteps: 5, minLr: 0.001 }), { warmupSteps: 2 });
const OPTIMIZERS: [string, () => Optimizer][] = [
  [
    'Adam with a warm-up + cosine schedule and clipping',
    () => new Adam({ lr: schedule(), clipNorm: 0.5 }),
  ],
  ['Adam AMSGrad', () => new Adam({ lr: 0.01, amsgrad: true })],
  ['AdamW', () => new AdamW({ lr: 0.01 })],
  ['SGD with momentum', () => new SGD({ lr: 0.1, momentum: 0.9 })],
  ['RMSprop', () => new RMSprop({ lr: 0.01 })],
  ['Adagrad', () => new Adagrad({ lr: 0.1 })],
];

describe('Optimizer.getState / setState', () => {
  for (const [name, make] of OPTIMIZERS) {
    it(`${name}: resuming from a saved state equals never stopping`, () => {
      const straight = run(make);
      for (const cut of [1, 3]) expect(run(make, cut)).toEqual(straight);
    });
  }

  it('holds the step count and the moments of every parameter', () => {
    const p = variable(tensor([1, 2], [2]), 'p');
    const adam = new Adam({ lr: 0.1 });
    adam.applyGradients([p], [tensor([0.5, -1])]);
    const state = adam.getState([p]);
    expect(state.className).toBe('Adam');
    expect(state.iterations).toBe(1);
    expect(Array.from(state.slots[0].m.data)).toEqual([0.05, -0.1].map(Math.fround));
    expect(Array.from(state.slots[0].v.data)).toEqual([0.00025, 0.001].map(Math.fround));
    adam.dispose();
    p.dispose();
  });

  it('replaces slots without leaking tensors', () => {
    const p = variable(tensor([1, 2], [2]), 'p');
    const adam = new Adam();
    adam.applyGradients([p], [tensor([0.5, -1])]);
    const before = memory().numTensors;
    const state = adam.getState([p]);
    for (let i = 0; i < 3; i++) adam.setState([p], state);
    expect(memory().numTensors).toBe(before);
    adam.dispose();
    p.dispose();
  });

  it('rejects a state of another class, parameter count or shape, changing nothing', () => {
    const p = variable(tensor([1, 2], [2]), 'p');
    const adam = new Adam();
    adam.applyGradients([p], [tensor([0.5, -1])]);
    const state = adam.getState([p]);
    const sgd = new SGD({ lr: 0.1 });
    expect(() => sgd.setState([p], state)).toThrow(/belongs to a Adam optimizer, not SGD/);
    expect(() => adam.setState([p, p], state)).toThrow(/slots for 1 parameters, expected 2/);
    const q = variable(tensor([1, 2, 3], [3]), 'q');
    expect(() => adam.setState([q], state)).toThrow(
      /slot 'm' of parameter 0 \('q'\) has shape \[2\]/,
    );
    expect(() => adam.setState([p], { ...state, iterations: -1 })).toThrow(/'state.iterations'/);
    expect(adam.iterations).toBe(1);
    adam.dispose();
    p.dispose();
    q.dispose();
  });
});
