// The Reduce kernel: sum, max or min over axes.
import type { KernelFunc, ReduceOp } from '@rnnkit/core';
import { reduceOutShape, sizeOf, stridesOf } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { dotIndex, kernelSource, unravel } from '../codegen.js';

const INITIAL_VALUE: Readonly<Record<ReduceOp, number>> = {
  sum: 0,
  max: Number.NEGATIVE_INFINITY,
  min: Number.POSITIVE_INFINITY,
};

const FOLD: Readonly<Record<ReduceOp, string>> = {
  sum: 's = s + v;',
  // NaN wins and then stays (v > NaN is false), as Math.max/Math.min propagate it.
  max: 'if (v != v || v > s) { s = v; }',
  min: 'if (v != v || v < s) { s = v; }',
};

/**
 * Reduces over `axes`: one thread per output element runs nested loops (constant bounds) over
 * the reduced axes. Empty reductions give the identity (uploaded), no axes give an alias.
 */
export const reduce: KernelFunc<'Reduce', GpujsBackend> = (
  { x },
  { op, axes, keepDims },
  backend,
) => {
  const reduced = new Set(axes);
  const outShape = reduceOutShape(x.shape, axes, keepDims);
  const outSize = sizeOf(outShape);
  if (outSize === 0) return { y: backend.empty(outShape, x.dtype) };
  if (axes.length === 0) {
    return { y: backend.make(backend.alias(backend.value(x)), outShape, x.dtype) };
  }
  const reducedCount = axes.reduce((n, axis) => n * x.shape[axis], 1);
  if (reducedCount === 0) return { y: backend.filledTensor(outShape, x.dtype, INITIAL_VALUE[op]) };
  const key = `reduce:${op}:[${x.shape}]:[${axes}]`;
  const value = backend.run(
    key,
    outSize,
    () => {
      const xStrides = stridesOf(x.shape);
      const keptAxes = x.shape.map((_, axis) => axis).filter((axis) => !reduced.has(axis));
      const { code, coords } = unravel(
        'i',
        keptAxes.map((axis) => x.shape[axis]),
        'o',
      );
      const base = dotIndex(
        coords,
        keptAxes.map((axis) => xStrides[axis]),
      );
      // max/min start from the first reduced element (GLSL has no infinity literal).
      const lines = [
        code,
        `const base = ${base};`,
        op === 'sum' ? 'let s = 0.0;' : 'let s = a[base];',
      ];
      const offsets: string[] = [];
      for (const axis of axes) {
        lines.push(`for (let r${axis} = 0; r${axis} < ${x.shape[axis]}; r${axis}++) {`);
        offsets.push(`r${axis} * ${xStrides[axis]}`);
      }
      lines.push(`const v = a[base + ${offsets.join(' + ')}];`, FOLD[op]);
      for (const _ of axes) lines.push('}');
      lines.push('return s;');
      return kernelSource(['a'], lines.join('\n'));
    },
    [backend.value(x)],
  );
  return { y: backend.make(value, outShape, x.dtype) };
};
