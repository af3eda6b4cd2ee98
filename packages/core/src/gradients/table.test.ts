/**
 * The gradient table's contract at run time: an entry for exactly the catalogue's kernels, a
 * `'none'` entry refused by name, and a reshape (a view, not a kernel) differentiated without
 * any table entry.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeBackend } from '../../test/fake_backend.js';
import {
  ENGINE,
  GRADIENTS,
  KERNEL_NAMES,
  type KernelFunc,
  registerBackend,
  registerKernel,
  reshape,
  setBackend,
  square,
  sum,
  tensor,
  ValueError,
  valueAndGrads,
} from '../index.js';

beforeAll(async () => {
  registerBackend('fake-gradients', () => new FakeBackend('fake-gradients'), 0);
  await setBackend('fake-gradients');
});

describe('gradient table', () => {
  it('has one entry per kernel of the catalogue, in catalogue order', () => {
    expect(Object.keys(GRADIENTS)).toEqual([...KERNEL_NAMES]);
  });

  it("refuses to differentiate through a kernel whose entry is 'none', naming it", () => {
    const copies: KernelFunc<'AdamUpdate', FakeBackend> = ({ param, m, v }, _attrs, backend) => ({
      param: backend.make(backend.get(param).slice(), param.shape, param.dtype),
      m: backend.make(backend.get(m).slice(), m.shape, m.dtype),
      v: backend.make(backend.get(v).slice(), v.shape, v.dtype),
    });
    registerKernel('AdamUpdate', 'fake-gradients', copies);
    const p = tensor([1, 2]);
    const update = () =>
      ENGINE.runKernel(
        'AdamUpdate',
        { param: p, grad: p, m: p, v: p },
        { lr: 0, beta1: 0, beta2: 0, eps: 0, weightDecay: 0, decoupled: false, step: 1 },
      );
    expect(() => valueAndGrads(() => sum(update().param))([p])).toThrow(ValueError);
    expect(() => valueAndGrads(() => sum(update().param))([p])).toThrow(
      /kernel 'AdamUpdate': it is not differentiable/,
    );
  });

  it('differentiates through a reshape, which runs no kernel', () => {
    const x = tensor([1, 2, 3, 4]);
    const { value, grads } = valueAndGrads((t) => sum(square(reshape(t, [2, 2]))))([x]);
    expect(Array.from(value.dataSync())).toEqual([30]);
    expect(grads[0].shape).toEqual([4]);
    expect(Array.from(grads[0].dataSync())).toEqual([2, 4, 6, 8]);
  });
});
