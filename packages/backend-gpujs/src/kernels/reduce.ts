import type { KernelFunc, ReduceOp, TensorInfo } from '@rnnkit/core';
import { reduceOutShape, sizeOf, splitAtAxis, stridesOf } from '@rnnkit/core';
import type { GpujsBackend, GpuValue } from '../backend.js';
import { dotIndex, int, kernelSource, lit, unravel } from '../codegen.js';

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
  if (reducedCount === 0) return { y: backend.fill(outShape, x.dtype, INITIAL_VALUE[op]) };
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

/** Index of the first largest value along `axis` (the first NaN counts as largest). */
export const argMax: KernelFunc<'ArgMax', GpujsBackend> = ({ x }, { axis }, backend) => {
  const shape = reduceOutShape(x.shape, [axis], false);
  const { outer, extent, inner } = splitAtAxis(x.shape, axis);
  const size = outer * inner;
  if (size === 0) return { y: backend.empty(shape, 'int32') };
  if (extent === 0) return { y: backend.fill(shape, 'int32', 0) };
  const value = backend.run(
    `argmax:${outer}x${extent}x${inner}`,
    size,
    () => {
      const { code, coords } = unravel('i', [outer, inner], 'o');
      return kernelSource(
        ['a'],
        [
          code,
          `const base = ${dotIndex(coords, [extent * inner, 1])};`,
          'let best = a[base];',
          'let at = 0.0;',
          'let pos = 0.0;',
          `for (let r = 1; r < ${extent}; r++) {`,
          '  pos = pos + 1.0;',
          `  const v = a[base + r * ${inner}];`,
          '  if (best == best && (v > best || v != v)) { best = v; at = pos; }',
          '}',
          'return at;',
        ].join('\n'),
      );
    },
    [backend.value(x)],
  );
  return { y: backend.make(value, shape, 'int32') };
};

/**
 * Softmax or log-softmax along the last axis in three passes, each one thread per element or
 * row: row maxima (a row of -Infinity shifts by 0 instead), row sums of `exp(x - max)`, then the
 * element-wise result.
 */
const MAX_FLOAT32 = 3.4028234663852886e38;

function softmaxLastAxis(backend: GpujsBackend, x: TensorInfo, log: boolean): TensorInfo {
  const size = sizeOf(x.shape);
  const n = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1];
  if (size === 0) return backend.empty(x.shape, x.dtype);
  const rows = size / n;
  const input = backend.value(x);
  const max = backend.run(
    `softmax-max:${rows}x${n}`,
    rows,
    () =>
      kernelSource(
        ['a'],
        [
          // -FLT_MAX stands for -Infinity (GLSL has no infinity literal); NaN is skipped.
          `let m = ${lit(-MAX_FLOAT32)};`,
          `for (let k = 0; k < ${n}; k++) {`,
          `  const v = a[i * ${int(n)} + k];`,
          '  if (v > m) { m = v; }',
          '}',
          `if (m == ${lit(-MAX_FLOAT32)}) { m = 0.0; }`,
          'return m;',
        ].join('\n'),
      ),
    [input],
  );
  const sum = backend.run(
    `softmax-sum:${rows}x${n}`,
    rows,
    () =>
      kernelSource(
        ['a', 'm'],
        [
          'const mi = m[i];',
          'let s = 0.0;',
          `for (let k = 0; k < ${n}; k++) {`,
          `  s = s + Math.exp(a[i * ${int(n)} + k] - mi);`,
          '}',
          'return s;',
        ].join('\n'),
      ),
    [input, max],
  );
  const out: GpuValue = backend.run(
    `${log ? 'logsoftmax' : 'softmax'}:${rows}x${n}`,
    size,
    () => {
      const { code, coords } = unravel('i', [rows, n], 'o');
      return kernelSource(
        ['a', 'm', 's'],
        [
          code,
          `const row = ${coords[0]};`,
          log
            ? 'return a[i] - (Math.log(s[row]) + m[row]);'
            : 'return Math.exp(a[i] - m[row]) / s[row];',
        ].join('\n'),
      );
    },
    [input, max, sum],
  );
  backend.free(max);
  backend.free(sum);
  return backend.make(out, x.shape, x.dtype);
}

/** Softmax along the last axis. */
export const softmax: KernelFunc<'Softmax', GpujsBackend> = ({ x }, _attrs, backend) => ({
  y: softmaxLastAxis(backend, x, false),
});

/** Log-softmax along the last axis. */
export const logSoftmax: KernelFunc<'LogSoftmax', GpujsBackend> = ({ x }, _attrs, backend) => ({
  y: softmaxLastAxis(backend, x, true),
});
