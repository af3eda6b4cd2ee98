/**
 * `softmax` / `logSoftmax` along any axis: values against a host computation, gradients
 * against the last-axis kernels they are built from, and argument errors, through core's public
 * API on the cpu backend. Here rather than in core because it needs a concrete backend, which
 * core cannot depend on (a cycle).
 */
import '@rnnkit/backend-cpu';
import {
  logSoftmax,
  mul,
  setBackend,
  softmax,
  sum,
  tensor,
  transpose,
  ValueError,
  valueAndGrads,
} from '@rnnkit/core';
import { beforeAll, describe, expect, it } from 'vitest';

beforeAll(async () => {
  await setBackend('cpu');
});

/** Host softmax of `[A, B, C]` values along `axis`. */
function hostSoftmax(v: number[], shape: number[], axis: number, log = false): number[] {
  const strides = [shape[1] * shape[2], shape[2], 1];
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) {
    const idx = [Math.floor(i / strides[0]), Math.floor(i / strides[1]) % shape[1], i % shape[2]];
    const base = i - idx[axis] * strides[axis];
    const row = Array.from({ length: shape[axis] }, (_, k) => v[base + k * strides[axis]]);
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, r) => s + Math.exp(r - m), 0));
    out[i] = log ? v[i] - lse : Math.exp(v[i] - lse);
  }
  return out;
}

describe('softmax and logSoftmax take an axis (default -1)', () => {
  const shape = [2, 3, 4];
  const values = Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7) * 3);
  const x = tensor(values, shape, 'float64');

  it('match the host computation along every axis, negative ones included', () => {
    for (const axis of [0, 1, 2, -1, -2, -3]) {
      const a = axis < 0 ? axis + 3 : axis;
      const s = Array.from(softmax(x, axis).dataSync());
      const l = Array.from(logSoftmax(x, axis).dataSync());
      hostSoftmax(values, shape, a).forEach((v, i) => expect(s[i]).toBeCloseTo(v, 12));
      hostSoftmax(values, shape, a, true).forEach((v, i) => expect(l[i]).toBeCloseTo(v, 12));
    }
    expect(Array.from(softmax(x).dataSync())).toEqual(Array.from(softmax(x, 2).dataSync()));
  });

  it('differentiate along a non-last axis as the transposed last-axis softmax does', () => {
    const w = tensor(
      Array.from({ length: 24 }, (_, i) => (i % 5) - 2),
      shape,
      'float64',
    );
    const viaAxis = valueAndGrads((t) => sum(mul(logSoftmax(t, 1), w)))([x]);
    const perm = [0, 2, 1];
    const viaTranspose = valueAndGrads((t) =>
      sum(mul(transpose(logSoftmax(transpose(t, perm)), perm), w)),
    )([x]);
    expect(viaAxis.value.item()).toBeCloseTo(viaTranspose.value.item(), 12);
    const a = viaAxis.grads[0].dataSync();
    viaTranspose.grads[0].dataSync().forEach((g, i) => expect(a[i]).toBeCloseTo(g, 12));
  });

  it('refuse an axis outside the rank, naming it', () => {
    expect(() => softmax(x, 3)).toThrow(ValueError);
    expect(() => logSoftmax(x, -4)).toThrow(
      /'axis' must be an integer in \[-3, 2\] for logits of rank 3, got -4/,
    );
  });
});
