// The Reduce kernel: sum, max or min over axes, accumulated in f64 (assembly/Reduce.ts).
import type { KernelFunc } from '@rnnkit/core';
import { REDUCE_OPS, reduceOutShape, sizeOf, stridesOf } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { opCode } from './util/op_codes.js';
import { copyStrided } from './util/strided.js';

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
  const code = opCode(REDUCE_OPS, op, 'reduce op');
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
