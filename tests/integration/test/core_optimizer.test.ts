/**
 * `adamUpdate`: argument validation and its place outside automatic differentiation. The
 * kernel's arithmetic is tested per backend and by the conformance suite. Here rather than in
 * core because it needs a concrete backend, which core cannot depend on (a cycle).
 */
import '@rnnkit/backend-cpu';
import {
  adamUpdate,
  DTypeError,
  ENGINE,
  ShapeError,
  setBackend,
  sum,
  type Tensor,
  tensor,
  tidy,
  ValueError,
  zeros,
} from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';

beforeAll(async () => {
  await setBackend('cpu');
});

const f32 = (values: number[], shape = [values.length]) => tensor(values, shape, 'float32');

describe('adamUpdate', () => {
  it('returns new tensors and leaves its arguments alone', () => {
    tidy(() => {
      const p = f32([0.5, -1]);
      const g = f32([0.1, -0.2]);
      const m = zeros([2]);
      const v = zeros([2]);
      const next = adamUpdate(p, g, m, v, { lr: 0.01, step: 1 });
      for (const t of [next.param, next.m, next.v]) {
        expect(t.shape).toEqual([2]);
        expect(t.dtype).toBe('float32');
      }
      expect(Array.from(next.param.dataSync())).toEqual([0.49, -0.99].map((x) => Math.fround(x)));
      expect(Array.from(p.dataSync())).toEqual([0.5, -1]);
      expect(Array.from(m.dataSync())).toEqual([0, 0]);
    });
  });

  it('names the argument of a wrong dtype or shape', () => {
    tidy(() => {
      const p = f32([1, 2, 3]);
      const ok = () => f32([0, 0, 0]);
      const opts = { lr: 0.1, step: 1 };
      expect(() => adamUpdate(tensor([1, 2, 3], [3], 'int32'), ok(), ok(), ok(), opts)).toThrow(
        new DTypeError("adamUpdate: argument 'param' must be a float tensor, got int32"),
      );
      expect(() => adamUpdate(p, tensor([0, 0, 0], [3], 'float64'), ok(), ok(), opts)).toThrow(
        new DTypeError("adamUpdate: argument 'grad' must have param's dtype float32, got float64"),
      );
      expect(() => adamUpdate(p, ok(), f32([0, 0, 0], [3, 1]), ok(), opts)).toThrow(
        new ShapeError("adamUpdate: argument 'm' must have param's shape [3], got [3, 1]"),
      );
      expect(() => adamUpdate(p, ok(), ok(), [0, 0, 0] as unknown as Tensor, opts)).toThrow(
        new ValueError("adamUpdate: argument 'v' must be a Tensor, got object"),
      );
    });
  });

  it('names the option out of range', () => {
    tidy(() => {
      const t = () => f32([1]);
      const call = (o: Record<string, unknown>) => () =>
        adamUpdate(t(), t(), t(), t(), { lr: 0.1, step: 1, ...o });
      expect(call({ lr: -1 })).toThrow(/option 'lr' must be a finite number >= 0, got -1/);
      expect(call({ lr: Number.NaN })).toThrow(/option 'lr'/);
      expect(call({ step: 0 })).toThrow(/option 'step' must be an integer >= 1, got 0/);
      expect(call({ step: 1.5 })).toThrow(/option 'step'/);
      expect(call({ beta1: 1 })).toThrow(/option 'beta1' must be in \[0, 1\), got 1/);
      expect(call({ beta2: -0.5 })).toThrow(/option 'beta2'/);
      expect(call({ eps: Number.POSITIVE_INFINITY })).toThrow(/option 'eps'/);
      expect(call({ weightDecay: -0.1 })).toThrow(/option 'weightDecay'/);
      expect(call({ decoupled: 1 })).toThrow(/option 'decoupled' must be a boolean/);
      expect(call({ lr: -1 })).toThrow(ValueError);
    });
  });

  it('is not differentiable: a loss through it has no gradient, an update beside it is harmless', () => {
    const p = f32([1, 2]);
    const g = f32([0.5, 0.5]);
    const m = zeros([2]);
    const v = zeros([2]);
    expect(() =>
      ENGINE.valueAndGrads(() => sum(adamUpdate(p, g, m, v, { lr: 0.1, step: 1 }).param), [p]),
    ).toThrow(/no gradient is registered for kernel 'AdamUpdate'/);
    const { value, grads } = ENGINE.valueAndGrads(() => {
      adamUpdate(p, g, m, v, { lr: 0.1, step: 1 });
      return sum(p);
    }, [p]);
    expect(Array.from(grads[0].dataSync())).toEqual([1, 1]);
    for (const t of [value, ...grads, p, g, m, v]) t.dispose();
  });
});
