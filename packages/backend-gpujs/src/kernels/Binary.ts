// The Binary kernel: element-wise functions of two tensors broadcast NumPy-style.
import type { BinaryOp, KernelFunc, Shape } from '@rnnkit/core';
import { broadcastStrides, sizeOf } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { dotIndex, kernelSource, unravel } from '../codegen.js';

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
