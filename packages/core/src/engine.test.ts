/**
 * Tests of the engine: the backend registry, tensor lifetimes, tidy and gradients, on a fake
 * backend.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeBackend } from '../test/fake_backend.js';
import { binaryGrad } from './gradients/binary.js';
import {
  add,
  BackendError,
  DisposedTensorError,
  DTypeError,
  dispose,
  getBackend,
  grad,
  initBackend,
  keep,
  listBackends,
  memory,
  mul,
  registerBackend,
  registerGradient,
  reshape,
  ShapeError,
  setBackend,
  square,
  sum,
  tanh,
  tensor,
  tidy,
  transfer,
  ValueError,
  valueAndGrads,
  variable,
  variableGrads,
} from './index.js';

beforeAll(async () => {
  registerBackend('fake', () => new FakeBackend('fake'), 5);
  registerBackend('fake2', () => new FakeBackend('fake2'), 1);
  registerBackend('async-fake', async () => new FakeBackend('async-fake'), 0);
  await setBackend('fake');
});

describe('backend registry', () => {
  it('lists backends by priority', () => {
    expect(listBackends().slice(0, 2)).toEqual(['fake', 'fake2']);
  });

  it('an unknown backend is a BackendError naming it and the known ones', async () => {
    await expect(setBackend('nope')).rejects.toThrow(BackendError);
    await expect(setBackend('nope')).rejects.toThrow(/unknown backend 'nope'.*fake/);
  });

  it('a failing factory becomes a BackendError', async () => {
    registerBackend('broken', () => {
      throw new Error('no GL context');
    });
    await expect(setBackend('broken')).rejects.toThrow(
      /backend 'broken' failed to initialise: no GL context/,
    );
  });

  it('initialises an async backend once, however often it is asked for', async () => {
    let made = 0;
    registerBackend('counted', async () => {
      made++;
      return new FakeBackend('counted');
    });
    await Promise.all([initBackend('counted'), initBackend('counted')]);
    await setBackend('counted');
    expect(made).toBe(1);
    await setBackend('fake');
  });

  it('swaps backends between calls and refuses to mix tensors', async () => {
    const a = tensor([1, 2, 3]);
    await setBackend('fake2');
    expect(getBackend().name).toBe('fake2');
    const b = tensor([1, 1, 1]);
    expect(() => add(a, b)).toThrow(BackendError);
    expect(() => add(a, b)).toThrow(/lives on backend 'fake' but the active backend is 'fake2'/);
    const moved = transfer(a, 'fake2');
    expect(Array.from(add(moved, b).dataSync())).toEqual([2, 3, 4]);
    await setBackend('fake');
    await initBackend('async-fake');
  });
});

describe('tensors', () => {
  it('infers shapes from nested arrays and refuses ragged ones', () => {
    expect(
      tensor([
        [1, 2],
        [3, 4],
      ]).shape,
    ).toEqual([2, 2]);
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/3 elements but shape \[2, 2\] needs 4/);
  });

  it('int32 tensors refuse fractions', () => {
    expect(() => tensor([1.5], [1], 'int32')).toThrow(DTypeError);
  });

  it('a disposed tensor gives a DisposedTensorError on every use', () => {
    const x = tensor([1, 2]);
    x.dispose();
    expect(() => x.dataSync()).toThrow(DisposedTensorError);
    expect(() => add(x, 1)).toThrow(DisposedTensorError);
    expect(() => add(x, 1)).toThrow(/argument 'a'.*used after dispose\(\)/);
    x.dispose();
  });

  it('mismatched shapes name both shapes', () => {
    expect(() => add(tensor([1, 2, 3]), tensor([1, 2]))).toThrow(ShapeError);
    expect(() => add(tensor([1, 2, 3]), tensor([1, 2]))).toThrow(
      /\[3\] and \[2\] cannot be broadcast/,
    );
  });

  it('reshape shares storage and frees it with the last view', () => {
    const before = memory();
    const x = tensor([1, 2, 3, 4]);
    const y = reshape(x, [2, -1]);
    expect(y.shape).toEqual([2, 2]);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4]);
    y.dispose();
    expect(memory().numDataIds).toBe(before.numDataIds);
    expect(() => reshape(tensor([1, 2, 3]), [2, 2])).toThrow(ShapeError);
  });
});

describe('tidy', () => {
  it('frees intermediates and keeps the result', () => {
    const x = tensor([1, 2]);
    const before = memory().numTensors;
    const y = tidy(() => add(mul(x, 2), 1));
    expect(memory().numTensors).toBe(before + 1);
    expect(Array.from(y.dataSync())).toEqual([3, 5]);
  });

  it('keep() survives the scope', () => {
    let kept: ReturnType<typeof tensor> | undefined;
    tidy(() => {
      kept = keep(tensor([1]));
      tensor([2]);
    });
    expect(kept!.isDisposed).toBe(false);
  });

  it('refuses async functions', () => {
    expect(() => tidy((async () => tensor([1])) as never)).toThrow(ValueError);
  });
});

describe('gradients', () => {
  it('grad of sum(x^2) is 2x', () => {
    const g = grad((x) => sum(square(x)))(tensor([1, 2, 3]));
    expect(Array.from(g.dataSync())).toEqual([2, 4, 6]);
  });

  it('accumulates through shared uses and survives inner tidy', () => {
    const f = (x: ReturnType<typeof tensor>) => tidy(() => sum(mul(x, x)));
    const g = grad((x) => add(f(x), sum(x)))(tensor([3], [1], 'float64'));
    expect(g.dataSync()[0]).toBeCloseTo(7, 12);
  });

  it('tanh gradient matches 1 - tanh^2', () => {
    const g = grad((x) => sum(tanh(x)))(tensor([0.5], [1], 'float64'));
    expect(g.dataSync()[0]).toBeCloseTo(1 - Math.tanh(0.5) ** 2, 14);
  });

  it('throws for inputs the result does not use, unless allowUnused (then zeros)', () => {
    const xs = [tensor([1, 2]), tensor([5])];
    expect(() => valueAndGrads((a: ReturnType<typeof tensor>) => sum(a))(xs)).toThrow(
      /valueAndGrads: the function's result does not depend on xs\[1\].*allowUnused/,
    );
    const { grads } = valueAndGrads((a: ReturnType<typeof tensor>) => sum(a), {
      allowUnused: true,
    })(xs);
    expect(Array.from(grads[1].dataSync())).toEqual([0]);
  });

  it('variableGrads names the variables a result computed outside the function ignores', () => {
    const w = variable(tensor([2, 3]), 'lstm/weight_ih_l0');
    const v = variable(tensor([1]), 'head/bias');
    const before = memory().numTensors;
    const outside = sum(mul(w, v)); // the README's old quick start: forward before the call
    expect(() => variableGrads(() => outside, [w, v])).toThrow(
      /variableGrads: the function's result does not depend on 'lstm\/weight_ih_l0', 'head\/bias'/,
    );
    expect(() => variableGrads(() => sum(w), [w, v])).toThrow(/does not depend on 'head\/bias',/);
    expect(memory().numTensors).toBe(before + 1); // nothing leaked by the failed calls
    const { value, grads } = variableGrads(() => sum(w), [w, v], { allowUnused: true });
    expect(Array.from(grads[1].dataSync())).toEqual([0]);
    expect(() => grad((_x) => sum(w))(tensor([1]))).toThrow(/grad: .*does not depend on xs\[0\]/);
    dispose([value, ...grads, outside]);
  });

  it('variableGrads differentiates with respect to variables and does not leak', () => {
    const w = variable(tensor([2, 3]), 'w');
    const x = tensor([4, 5]);
    const before = memory().numTensors;
    const { value, grads } = variableGrads(() => sum(mul(w, x)), [w]);
    expect(value.item()).toBe(23);
    expect(Array.from(grads[0].dataSync())).toEqual([4, 5]);
    value.dispose();
    grads[0].dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('tells a gradient function which inputs depend on what is differentiated', () => {
    const asked: Record<string, boolean>[] = [];
    registerGradient('Binary', (dys, ctx) => {
      asked.push({ a: ctx.needsGradient('a'), b: ctx.needsGradient('b') });
      return binaryGrad(dys, ctx);
    });
    try {
      const w = variable(tensor([2, 3]), 'w');
      const data = tensor([4, 5]);
      // mul(data, w): only b depends on w; mul(wx, wx) then add(wx, data): a (and b) do.
      const { value, grads } = variableGrads(() => {
        const wx = mul(data, w);
        return sum(add(mul(wx, wx), data));
      }, [w]);
      expect(Array.from(grads[0].dataSync())).toEqual([64, 150]);
      expect(asked).toEqual([
        { a: true, b: false },
        { a: true, b: true },
        { a: false, b: true },
      ]);
      dispose([value, ...grads, w, data]);
    } finally {
      registerGradient('Binary', binaryGrad);
    }
  });

  it('a non-scalar result without dy is a ValueError', () => {
    expect(() => grad((x) => mul(x, 2))(tensor([1, 2]))).toThrow(/must return a scalar/);
  });
});
