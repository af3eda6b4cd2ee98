import type { KernelFunc } from '@rnnkit/core';
import {
  concatOutShape,
  flatOffset,
  gatherOutShape,
  padOutShape,
  reverseStrides,
  sizeOf,
  splitAtAxis,
  stridesOf,
  transposeOutShape,
} from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { copyStrided } from './util.js';

/** Copies the slices of `x` at `indices` along `axis`. */
export const gather: KernelFunc<'Gather', WasmBackend> = ({ x, indices }, { axis }, backend) => {
  const { outer, extent, inner } = splitAtAxis(x.shape, axis);
  const count = sizeOf(indices.shape);
  const shape = gatherOutShape(x.shape, indices.shape, axis);
  const out = backend.output(shape, x.dtype);
  if (outer * count * inner > 0) {
    backend.wasm.gather(backend.ptr(x), outer, extent, inner, backend.ptr(indices), count, out.ptr);
  }
  return { y: out.info };
};

/** Adds each slice of `updates` into a zero tensor of `shape` at its index along `axis`. */
export const scatterAdd: KernelFunc<'ScatterAdd', WasmBackend> = (
  { updates, indices },
  { axis, shape },
  backend,
) => {
  const { outer, extent, inner } = splitAtAxis(shape, axis);
  const count = sizeOf(indices.shape);
  const out = backend.output(shape, updates.dtype);
  if (sizeOf(shape) > 0) {
    backend.wasm.scatterAdd(
      sizeOf(updates.shape) > 0 ? backend.ptr(updates) : 0,
      outer,
      extent,
      inner,
      count > 0 ? backend.ptr(indices) : 0,
      count,
      out.ptr,
      updates.dtype === 'int32' ? 1 : 0,
    );
  }
  return { y: out.info };
};

const ONE_F32_BITS = 0x3f800000;

/** One-hot rows of `depth`; out-of-range indices give zero rows. */
export const oneHot: KernelFunc<'OneHot', WasmBackend> = (
  { indices },
  { depth, dtype },
  backend,
) => {
  const count = sizeOf(indices.shape);
  const out = backend.output([...indices.shape, depth], dtype);
  if (count * depth > 0) {
    backend.wasm.oneHot(
      backend.ptr(indices),
      count,
      depth,
      dtype === 'int32' ? 1 : ONE_F32_BITS,
      out.ptr,
    );
  }
  return { y: out.info };
};

/** The block starting at `begin` with extents `size`. */
export const slice: KernelFunc<'Slice', WasmBackend> = ({ x }, { begin, size }, backend) => {
  const out = backend.output(size, x.dtype);
  if (sizeOf(size) > 0) {
    const strides = stridesOf(x.shape);
    const start = flatOffset(begin, strides);
    copyStrided(backend, size, strides, stridesOf(size), backend.ptr(x) + start * 4, out.ptr);
  }
  return { y: out.info };
};

/** Pads each axis by `[before, after]` elements of `value`. */
export const pad: KernelFunc<'Pad', WasmBackend> = ({ x }, { paddings, value }, backend) => {
  const shape = padOutShape(x.shape, paddings);
  const out = backend.output(shape, x.dtype);
  const total = sizeOf(shape);
  if (total === 0) return { y: out.info };
  let bits = 0;
  if (x.dtype === 'int32') bits = new Int32Array([value])[0];
  else bits = new Int32Array(new Float32Array([value]).buffer)[0];
  backend.wasm.fill32(out.ptr, total, bits);
  if (sizeOf(x.shape) > 0) {
    const strides = stridesOf(shape);
    const start = flatOffset(
      paddings.map(([before]) => before),
      strides,
    );
    copyStrided(backend, x.shape, stridesOf(x.shape), strides, backend.ptr(x), out.ptr + start * 4);
  }
  return { y: out.info };
};

/** Joins along `axis`: each input is one strided block copy into the output. */
export const concat: KernelFunc<'Concat', WasmBackend> = ({ xs }, { axis }, backend) => {
  const first = xs[0];
  const shape = concatOutShape(
    xs.map((x) => x.shape),
    axis,
  );
  const out = backend.output(shape, first.dtype);
  const { outer, extent: total, inner } = splitAtAxis(shape, axis);
  const rowLength = total * inner;
  let column = 0;
  for (const x of xs) {
    const run = x.shape[axis] * inner;
    if (outer * run > 0) {
      copyStrided(
        backend,
        [outer, run],
        [run, 1],
        [rowLength, 1],
        backend.ptr(x),
        out.ptr + column * 4,
      );
    }
    column += run;
  }
  return { y: out.info };
};

/** Permutes axes: output axis i is input axis `perm[i]`. */
export const transpose: KernelFunc<'Transpose', WasmBackend> = ({ x }, { perm }, backend) => {
  const shape = transposeOutShape(x.shape, perm);
  const out = backend.output(shape, x.dtype);
  if (sizeOf(shape) > 0) {
    const inStrides = stridesOf(x.shape);
    copyStrided(
      backend,
      shape,
      perm.map((axis) => inStrides[axis]),
      stridesOf(shape),
      backend.ptr(x),
      out.ptr,
    );
  }
  return { y: out.info };
};

/** Reverses the listed axes (read with negated strides from the far end). */
export const reverse: KernelFunc<'Reverse', WasmBackend> = ({ x }, { axes }, backend) => {
  const out = backend.output(x.shape, x.dtype);
  if (sizeOf(x.shape) > 0) {
    const { strides, offset } = reverseStrides(x.shape, axes);
    copyStrided(
      backend,
      x.shape,
      strides,
      stridesOf(x.shape),
      backend.ptr(x) + offset * 4,
      out.ptr,
    );
  }
  return { y: out.info };
};
