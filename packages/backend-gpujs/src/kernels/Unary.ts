// The Unary kernel: element-wise functions of one tensor as GLSL expressions.
import type { KernelFunc, UnaryOp } from '@rnnkit/core';
import { sizeOf } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { kernelSource } from '../codegen.js';

/** GLSL-safe expression of each unary op applied to the float variable `v`. */
const UNARY_EXPRESSIONS: Readonly<Record<UnaryOp, string>> = {
  neg: '-v',
  abs: 'Math.abs(v)',
  sign: '(v != v ? v : Math.sign(v))',
  exp: 'Math.exp(v)',
  log: '(v < 0.0 ? rkNaN(v) : Math.log(v))',
  log1p: 'rkLog1p(v)',
  sqrt: '(v < 0.0 ? rkNaN(v) : Math.sqrt(v))',
  rsqrt: '(v < 0.0 ? rkNaN(v) : 1.0 / Math.sqrt(v))',
  square: 'v * v',
  reciprocal: '1.0 / v',
  tanh: 'rkTanh(v)',
  sigmoid: 'rkSigmoid(v)',
  relu: '(v > 0.0 ? v : (v != v ? v : 0.0))',
  step: '(v > 0.0 ? 1.0 : 0.0)',
  softplus: '(v != v ? v : Math.max(v, 0.0) + rkLog1p(Math.exp(-Math.abs(v))))',
};

/** Element-wise function of one tensor; int32 results are truncated like a typed-array store. */
export const unary: KernelFunc<'Unary', GpujsBackend> = ({ x }, { op }, backend) => {
  const size = sizeOf(x.shape);
  if (size === 0) return { y: backend.empty(x.shape, x.dtype) };
  const isInt = x.dtype === 'int32';
  const expression = UNARY_EXPRESSIONS[op];
  const value = backend.run(
    `unary:${op}:${x.dtype}:${size}`,
    size,
    () =>
      kernelSource(
        ['a'],
        `const v = a[i];\nreturn ${isInt ? `rkToInt(${expression})` : expression};`,
      ),
    [backend.value(x)],
  );
  return { y: backend.make(value, x.shape, x.dtype) };
};
