import type { BinaryOp, DType, KernelFunc, Shape, UnaryOp } from '@rnnkit/core';
import { broadcastStrides, DTypeError, sizeOf } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { dotIndex, kernelSource, unravel } from '../codegen.js';

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

/** Expression of each binary op on float variables `x` and `y` (JavaScript semantics). */
function binaryExpression(op: BinaryOp, isInt: boolean): string {
  switch (op) {
    case 'add':
      return 'x + y';
    case 'sub':
      return 'x - y';
    case 'mul':
      return 'x * y';
    case 'div':
      return isInt ? 'rkIntDiv(x, y)' : 'x / y';
    case 'maximum':
      return '((x != x || y != y) ? (x + y) : Math.max(x, y))';
    case 'minimum':
      return '((x != x || y != y) ? (x + y) : Math.min(x, y))';
    case 'pow':
      return 'rkPow(x, y)';
    case 'equal':
      return '(x == y ? 1.0 : 0.0)';
    case 'greater':
      return '(x > y ? 1.0 : 0.0)';
    case 'greaterEqual':
      return '(x >= y ? 1.0 : 0.0)';
    case 'less':
      return '(x < y ? 1.0 : 0.0)';
    case 'lessEqual':
      return '(x <= y ? 1.0 : 0.0)';
  }
}

/**
 * How a broadcast operand is indexed from the output's coordinates: directly (`i`), as a
 * scalar, or through its broadcast strides (0 on broadcast axes).
 */
function broadcastIndex(operand: Shape, shape: Shape, coords: readonly string[]): string {
  const size = sizeOf(operand);
  if (size === 1) return '0.0';
  if (size === sizeOf(shape)) return 'i';
  return dotIndex(coords, broadcastStrides(operand, shape));
}

/** Element-wise function of two tensors broadcast NumPy-style to `shape`. */
export const binary: KernelFunc<'Binary', GpujsBackend> = ({ a, b }, { op, shape }, backend) => {
  const size = sizeOf(shape);
  if (size === 0) return { y: backend.empty(shape, a.dtype) };
  const isInt = a.dtype === 'int32';
  const key = `binary:${op}:${a.dtype}:[${a.shape}]:[${b.shape}]:[${shape}]`;
  const value = backend.run(
    key,
    size,
    () => {
      const direct = (s: Shape) => sizeOf(s) === 1 || sizeOf(s) === size;
      const { code, coords } =
        direct(a.shape) && direct(b.shape)
          ? { code: '', coords: [] as string[] }
          : unravel('i', shape, 'o');
      let result = binaryExpression(op, isInt);
      if (isInt && op === 'pow') {
        result = 'rkToInt(y >= 0.0 ? (r < 0.0 ? -Math.floor(0.5 - r) : Math.floor(r + 0.5)) : r)';
      }
      return kernelSource(
        ['a', 'b'],
        [
          code,
          `const x = a[${broadcastIndex(a.shape, shape, coords)}];`,
          `const y = b[${broadcastIndex(b.shape, shape, coords)}];`,
          isInt && op === 'pow' ? 'const r = rkPow(x, y);' : '',
          `return ${result};`,
        ].join('\n'),
      );
    },
    [backend.value(a), backend.value(b)],
  );
  return { y: backend.make(value, shape, a.dtype) };
};

/**
 * Converts between float32 and int32. float32 → int32 truncates toward zero (NaN, ±Infinity
 * → 0); every other conversion keeps the values, so the output aliases the input's texture.
 */
export const cast: KernelFunc<'Cast', GpujsBackend> = ({ x }, { dtype }, backend) => {
  if (!backend.dtypes.includes(dtype)) {
    throw new DTypeError(`gpujs backend: Cast to '${dtype}' is not supported`);
  }
  const size = sizeOf(x.shape);
  if (size === 0) return { y: backend.empty(x.shape, dtype) };
  if (x.dtype === 'int32' || dtype === 'float32') {
    return { y: backend.make(backend.alias(backend.value(x)), x.shape, dtype) };
  }
  const value = backend.run(
    `cast:int32:${size}`,
    size,
    () => kernelSource(['a'], 'return rkToInt(a[i]);'),
    [backend.value(x)],
  );
  return { y: backend.make(value, x.shape, dtype as DType) };
};
