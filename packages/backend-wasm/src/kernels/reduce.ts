import type { KernelFunc } from '@rnnkit/core';
import { REDUCE_OPS, reduceOutShape, sizeOf, splitAtAxis, stridesOf } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { copyStrided } from './util.js';

/**
 * Reduces over `axes`. Axes of extent 1 are ignored and neighbouring axes of the same kind
 * merged; a single block of reduced axes is folded in place as `[outer, R, inner]`, any other
 * pattern is first transposed to `[kept, reduced]`. Accumulation is in f64.
 */
export const reduce: KernelFunc<'Reduce', WasmBackend> = (
  { x },
  { op, axes, keepDims },
  backend,
) => {
  const code = REDUCE_OPS.indexOf(op);
  if (code < 0) throw new RangeError(`wasm backend: unknown reduce op ${String(op)}`);
  const reduced = new Set(axes);
  const outShape = reduceOutShape(x.shape, axes, keepDims);
  const out = backend.output(outShape, x.dtype);
  const outSize = sizeOf(outShape);
  if (outSize === 0) return { y: out.info };
  const isInt = x.dtype === 'int32' ? 1 : 0;
  const src = backend.ptr(x);

  // Groups of consecutive axes of one kind, extent-1 axes dropped.
  const groups: { extent: number; reduced: boolean }[] = [];
  for (let axis = 0; axis < x.shape.length; axis++) {
    const extent = x.shape[axis];
    if (extent === 1) continue;
    const isReduced = reduced.has(axis);
    const last = groups[groups.length - 1];
    if (last && last.reduced === isReduced) last.extent *= extent;
    else groups.push({ extent, reduced: isReduced });
  }
  const reducedGroups = groups.filter((g) => g.reduced).length;
  let R = 1;
  for (const g of groups) if (g.reduced) R *= g.extent;

  if (reducedGroups <= 1) {
    let outer = 1;
    let inner = 1;
    let seen = false;
    for (const g of groups) {
      if (g.reduced) seen = true;
      else if (seen) inner *= g.extent;
      else outer *= g.extent;
    }
    backend.wasm.reduceMiddle(code, isInt, src, outer, R, inner, out.ptr);
    return { y: out.info };
  }

  // Transpose the kept axes to the front, then reduce contiguous rows.
  const kept: number[] = [];
  const red: number[] = [];
  x.shape.forEach((_, axis) => {
    (reduced.has(axis) ? red : kept).push(axis);
  });
  const perm = [...kept, ...red];
  const inStrides = stridesOf(x.shape);
  const permShape = perm.map((axis) => x.shape[axis]);
  const temp = backend.allocTemp(sizeOf(x.shape) * 4);
  try {
    copyStrided(
      backend,
      permShape,
      perm.map((axis) => inStrides[axis]),
      stridesOf(permShape),
      src,
      temp,
    );
    backend.wasm.reduceMiddle(code, isInt, temp, outSize, R, 1, out.ptr);
  } finally {
    backend.freeTemp(temp);
  }
  return { y: out.info };
};

/** Index of the largest value along `axis` (first on ties, NaN wins). */
export const argMax: KernelFunc<'ArgMax', WasmBackend> = ({ x }, { axis }, backend) => {
  const { outer, extent, inner } = splitAtAxis(x.shape, axis);
  const out = backend.output(reduceOutShape(x.shape, [axis], false), 'int32');
  if (outer * inner > 0) {
    backend.wasm.argMax(x.dtype === 'int32' ? 1 : 0, backend.ptr(x), outer, extent, inner, out.ptr);
  }
  return { y: out.info };
};

function softmaxKernel<K extends 'Softmax' | 'LogSoftmax'>(
  log: boolean,
): KernelFunc<K, WasmBackend> {
  return ({ x }, _attrs, backend) => {
    const out = backend.output(x.shape, x.dtype);
    const n = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1];
    const size = sizeOf(x.shape);
    if (size > 0 && n > 0) backend.wasm.softmax(backend.ptr(x), size / n, n, out.ptr, log ? 1 : 0);
    return { y: out.info };
  };
}

/** Softmax along the last axis (max-subtracted, vector exp, f64 row sums). */
export const softmax: KernelFunc<'Softmax', WasmBackend> = softmaxKernel<'Softmax'>(false);

/** Log-softmax along the last axis (log-sum-exp). */
export const logSoftmax: KernelFunc<'LogSoftmax', WasmBackend> = softmaxKernel<'LogSoftmax'>(true);
