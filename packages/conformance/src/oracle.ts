/**
 * Naive host implementations of the non-recurrent kernels of the catalogue, written from the
 * catalogue's text (`kernel_names.ts`) in float64 with plain loops, then rounded to the
 * output dtype. They are the "hand results" the cpu backend is checked against (every other
 * backend is checked against cpu). They share no code with any backend.
 */
import type { BinaryOp, DType, KernelAttrs, Shape, UnaryOp } from '@rnnkit/core';
import { sizeOf } from '@rnnkit/core';
import { type HostTensor, hostTensor, stridesOf, unravel } from '@rnnkit/testing';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The scalar function of each unary op, per the catalogue. */
export const ORACLE_UNARY: Readonly<Record<UnaryOp, (x: number) => number>> = {
  neg: (x) => -x,
  abs: (x) => Math.abs(x),
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  exp: (x) => Math.exp(x),
  log: (x) => Math.log(x),
  log1p: (x) => Math.log1p(x),
  sqrt: (x) => Math.sqrt(x),
  rsqrt: (x) => 1 / Math.sqrt(x),
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  tanh: (x) => Math.tanh(x),
  sigmoid,
  relu: (x) => Math.max(x, 0),
  step: (x) => (x > 0 ? 1 : 0),
  softplus: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
};

/** The scalar function of each binary op, per the catalogue (comparisons give 1 or 0). */
export const ORACLE_BINARY: Readonly<Record<BinaryOp, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: (a, b) => Math.max(a, b),
  minimum: (a, b) => Math.min(a, b),
  pow: (a, b) => a ** b,
  equal: (a, b) => (a === b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
};

function out(shape: Shape, dtype: DType, values: ArrayLike<number>): HostTensor {
  return hostTensor(shape, dtype, values);
}

function at(t: HostTensor, index: readonly number[]): number {
  const s = stridesOf(t.shape);
  let o = 0;
  for (let i = 0; i < index.length; i++) o += index[i] * s[i];
  return t.values[o];
}

/** `Unary`. */
export function oracleUnary(x: HostTensor, op: UnaryOp): HostTensor {
  const f = ORACLE_UNARY[op];
  return out(x.shape, x.dtype, Array.from(x.values, f));
}

/** `Binary` with NumPy broadcasting to `shape`. */
export function oracleBinary(a: HostTensor, b: HostTensor, op: BinaryOp, shape: Shape): HostTensor {
  const f = ORACLE_BINARY[op];
  const n = sizeOf(shape);
  const values = new Float64Array(n);
  const pick = (t: HostTensor, idx: number[]) => {
    const offset = shape.length - t.shape.length;
    return at(
      t,
      t.shape.map((d, i) => (d === 1 ? 0 : idx[i + offset])),
    );
  };
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, shape);
    values[i] = f(pick(a, idx), pick(b, idx));
  }
  return out(shape, a.dtype, values);
}

/** `MatMul`, rank 2 or rank 3 with a broadcastable batch. Also returns `|a|@|b|`, the error scale of each element. */
export function oracleMatMul(
  a: HostTensor,
  b: HostTensor,
  { transposeA, transposeB }: KernelAttrs<'MatMul'>,
): { y: HostTensor; absScale: Float64Array } {
  const r = a.shape.length;
  const batchA = r === 3 ? a.shape[0] : 1;
  const batchB = r === 3 ? b.shape[0] : 1;
  const batch = Math.max(batchA, batchB);
  const [ar, ac] = a.shape.slice(r - 2);
  const [br, bc] = b.shape.slice(r - 2);
  const M = transposeA ? ac : ar;
  const K = transposeA ? ar : ac;
  const N = transposeB ? br : bc;
  const values = new Float64Array(batch * M * N);
  const scale = new Float64Array(batch * M * N);
  for (let p = 0; p < batch; p++) {
    const pa = batchA === 1 ? 0 : p;
    const pb = batchB === 1 ? 0 : p;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        let sa = 0;
        for (let k = 0; k < K; k++) {
          const av = a.values[pa * ar * ac + (transposeA ? k * ac + i : i * ac + k)];
          const bv = b.values[pb * br * bc + (transposeB ? j * bc + k : k * bc + j)];
          s += av * bv;
          sa += Math.abs(av * bv);
        }
        values[(p * M + i) * N + j] = s;
        scale[(p * M + i) * N + j] = sa;
      }
    }
  }
  const shape = r === 3 ? [batch, M, N] : [M, N];
  return { y: out(shape, a.dtype, values), absScale: scale };
}

/** `Cast` (float to int32 truncates toward zero). */
export function oracleCast(x: HostTensor, dtype: DType): HostTensor {
  return out(
    x.shape,
    dtype,
    Array.from(x.values, (v) => (dtype === 'int32' ? Math.trunc(v) : v)),
  );
}

/** `Reduce` over sorted unique `axes`. */
export function oracleReduce(
  x: HostTensor,
  { op, axes, keepDims }: KernelAttrs<'Reduce'>,
): HostTensor {
  const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const n = sizeOf(keptShape);
  const init = op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
  const values = new Float64Array(n).fill(init);
  const keptStrides = stridesOf(keptShape);
  for (let i = 0; i < x.values.length; i++) {
    const idx = unravel(i, x.shape);
    let o = 0;
    idx.forEach((v, k) => {
      if (!axes.includes(k)) o += v * keptStrides[k];
    });
    const v = x.values[i];
    values[o] =
      op === 'sum' ? values[o] + v : op === 'max' ? Math.max(values[o], v) : Math.min(values[o], v);
  }
  const shape = keepDims ? keptShape : x.shape.filter((_, i) => !axes.includes(i));
  return out(shape, x.dtype, values);
}

/** `ArgMax` along `axis` (first index on ties; the first NaN wins, as in PyTorch and NumPy). */
export function oracleArgMax(x: HostTensor, axis: number): HostTensor {
  const shape = x.shape.filter((_, i) => i !== axis);
  const n = sizeOf(shape);
  const values = new Int32Array(n);
  for (let o = 0; o < n; o++) {
    const idx = unravel(o, shape);
    let best = -Infinity;
    let bestK = 0;
    for (let k = 0; k < x.shape[axis]; k++) {
      const full = [...idx.slice(0, axis), k, ...idx.slice(axis)];
      const v = at(x, full);
      if (k === 0 || v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
        best = v;
        bestK = k;
      }
    }
    values[o] = bestK;
  }
  return out(shape, 'int32', values);
}

/** `Softmax` (or `LogSoftmax` when `log`) along the last axis. */
export function oracleSoftmax(x: HostTensor, log: boolean): HostTensor {
  // A scalar is one row of one element.
  const n = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1];
  const rows = n === 0 ? 0 : x.values.length / n;
  const values = new Float64Array(x.values.length);
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let j = 0; j < n; j++) m = Math.max(m, x.values[r * n + j]);
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp(x.values[r * n + j] - m);
    for (let j = 0; j < n; j++) {
      const z = x.values[r * n + j] - m;
      values[r * n + j] = log ? z - Math.log(s) : Math.exp(z) / s;
    }
  }
  return out(x.shape, x.dtype, values);
}

/** `Gather` along `axis`. */
export function oracleGather(x: HostTensor, indices: HostTensor, axis: number): HostTensor {
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const n = sizeOf(shape);
  const values = new Float64Array(n);
  const ir = indices.shape.length;
  for (let o = 0; o < n; o++) {
    const idx = unravel(o, shape);
    const k = at(indices, idx.slice(axis, axis + ir));
    values[o] = at(x, [...idx.slice(0, axis), k, ...idx.slice(axis + ir)]);
  }
  return out(shape, x.dtype, values);
}

/** `ScatterAdd` into zeros of `shape` along `axis`. */
export function oracleScatterAdd(
  updates: HostTensor,
  indices: HostTensor,
  axis: number,
  shape: Shape,
): HostTensor {
  const values = new Float64Array(sizeOf(shape));
  const strides = stridesOf(shape);
  const ir = indices.shape.length;
  for (let i = 0; i < updates.values.length; i++) {
    const idx = unravel(i, updates.shape);
    const k = at(indices, idx.slice(axis, axis + ir));
    const target = [...idx.slice(0, axis), k, ...idx.slice(axis + ir)];
    values[target.reduce((o, v, j) => o + v * strides[j], 0)] += updates.values[i];
  }
  return out(shape, updates.dtype, values);
}

/** `OneHot`: out-of-range indices give a zero row. */
export function oracleOneHot(indices: HostTensor, depth: number, dtype: DType): HostTensor {
  const values = new Float64Array(indices.values.length * depth);
  indices.values.forEach((k, i) => {
    if (k >= 0 && k < depth) values[i * depth + k] = 1;
  });
  return out([...indices.shape, depth], dtype, values);
}

/** `Slice`. */
export function oracleSlice(
  x: HostTensor,
  begin: readonly number[],
  size: readonly number[],
): HostTensor {
  const n = sizeOf(size);
  const values = new Float64Array(n);
  for (let o = 0; o < n; o++)
    values[o] = at(
      x,
      unravel(o, size).map((v, i) => v + begin[i]),
    );
  return out(size, x.dtype, values);
}

/** `Pad` with `value`. */
export function oraclePad(
  x: HostTensor,
  paddings: readonly (readonly [number, number])[],
  value: number,
): HostTensor {
  const shape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const n = sizeOf(shape);
  const values = new Float64Array(n);
  for (let o = 0; o < n; o++) {
    const idx = unravel(o, shape).map((v, i) => v - paddings[i][0]);
    values[o] = idx.every((v, i) => v >= 0 && v < x.shape[i]) ? at(x, idx) : value;
  }
  return out(shape, x.dtype, values);
}

/** `Concat` along `axis`. */
export function oracleConcat(xs: readonly HostTensor[], axis: number): HostTensor {
  const shape = [...xs[0].shape];
  shape[axis] = xs.reduce((s, t) => s + t.shape[axis], 0);
  const n = sizeOf(shape);
  const values = new Float64Array(n);
  for (let o = 0; o < n; o++) {
    const idx = unravel(o, shape);
    let k = idx[axis];
    let part = 0;
    while (k >= xs[part].shape[axis]) k -= xs[part++].shape[axis];
    idx[axis] = k;
    values[o] = at(xs[part], idx);
  }
  return out(shape, xs[0].dtype, values);
}

/** `Transpose`: output axis i is input axis `perm[i]`. */
export function oracleTranspose(x: HostTensor, perm: readonly number[]): HostTensor {
  const shape = perm.map((p) => x.shape[p]);
  const n = sizeOf(shape);
  const values = new Float64Array(n);
  for (let o = 0; o < n; o++) {
    const idx = unravel(o, shape);
    const src = new Array<number>(perm.length);
    perm.forEach((p, i) => {
      src[p] = idx[i];
    });
    values[o] = at(x, src);
  }
  return out(shape, x.dtype, values);
}

/** `Reverse` along `axes`. */
export function oracleReverse(x: HostTensor, axes: readonly number[]): HostTensor {
  const values = new Float64Array(x.values.length);
  for (let o = 0; o < values.length; o++) {
    const idx = unravel(o, x.shape).map((v, i) => (axes.includes(i) ? x.shape[i] - 1 - v : v));
    values[o] = at(x, idx);
  }
  return out(x.shape, x.dtype, values);
}

/**
 * `AdamUpdate`, per the catalogue's formula in float64, outputs rounded to the dtype. Also
 * returns the error scale of each output: the largest magnitude of the terms behind one element
 * (a rounding error is relative to those, not to a result they cancel down to):
 * - `m`: `β₁|m| + (1 − β₁)·G` and `v`: `β₂|v| + (1 − β₂)·G²`, with `G = |g| + wd_L2·|p|` the
 *   magnitude of the terms of the effective gradient;
 * - `param`: `|p·decay| + (lr / bc1)·S_m / D`, where S_m is `m`'s term magnitude and
 *   `D = √v' / √bc2 + ε` the exact denominator: it bounds the update and the error of m'
 *   carried through the quotient.
 */
export function oracleAdamUpdate(
  param: HostTensor,
  grad: HostTensor,
  m: HostTensor,
  v: HostTensor,
  attrs: KernelAttrs<'AdamUpdate'>,
): {
  param: HostTensor;
  m: HostTensor;
  v: HostTensor;
  scale: { param: number; m: number; v: number };
} {
  const { lr, beta1, beta2, eps, weightDecay: wd, decoupled, step } = attrs;
  const bc1 = 1 - beta1 ** step;
  const bc2 = 1 - beta2 ** step;
  const n = param.values.length;
  const [ps, ms, vs] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const scale = { param: 0, m: 0, v: 0 };
  // Non-finite elements are compared exactly, so only finite terms set the error scale.
  const grow = (k: keyof typeof scale, t: number) => {
    if (Number.isFinite(t) && t > scale[k]) scale[k] = t;
  };
  for (let i = 0; i < n; i++) {
    let p = param.values[i];
    let g = grad.values[i];
    if (decoupled && wd !== 0) p = p * (1 - lr * wd);
    const l2 = !decoupled && wd !== 0 ? wd : 0;
    if (l2 !== 0) g = g + wd * p;
    const G = Math.abs(grad.values[i]) + l2 * Math.abs(p);
    ms[i] = beta1 * m.values[i] + (1 - beta1) * g;
    vs[i] = beta2 * v.values[i] + (1 - beta2) * g * g;
    const denom = Math.sqrt(vs[i]) / Math.sqrt(bc2) + eps;
    ps[i] = p - (lr / bc1) * (ms[i] / denom);
    const sm = beta1 * Math.abs(m.values[i]) + (1 - beta1) * G;
    grow('m', sm);
    grow('v', beta2 * Math.abs(v.values[i]) + (1 - beta2) * G * G);
    grow('param', Math.abs(p) + ((lr / bc1) * sm) / denom);
  }
  return {
    param: out(param.shape, param.dtype, ps),
    m: out(param.shape, param.dtype, ms),
    v: out(param.shape, param.dtype, vs),
    scale,
  };
}
