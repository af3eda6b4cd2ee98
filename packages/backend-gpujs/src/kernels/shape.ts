import type { KernelFunc, Shape } from '@rnnkit/core';
import {
  concatOutShape,
  DTypeError,
  flatOffset,
  gatherOutShape,
  padOutShape,
  sizeOf,
  splitAtAxis,
  stridesOf,
  transposeOutShape,
} from '@rnnkit/core';
import type { GpujsBackend, GpuValue } from '../backend.js';
import { dotIndex, int, kernelSource, lit, unravel } from '../codegen.js';

/** Texture arguments per concatenation pass (WebGL 1 guarantees 8 texture units). */
export const CONCAT_FAN_IN = 8;

/**
 * Joins row-major `[outer, widths[i]]` blocks side by side into `[outer, sum(widths)]`, at most
 * {@link CONCAT_FAN_IN} inputs per kernel (more are joined in a tree of passes). The inputs stay
 * owned by the caller; the result is a new value (an alias when only one input is non-empty).
 */
export function concatColumns(
  backend: GpujsBackend,
  values: readonly GpuValue[],
  widths: readonly number[],
  outer: number,
): GpuValue {
  const parts = values
    .map((value, k) => ({ value, width: widths[k] }))
    .filter((part) => part.width > 0);
  if (parts.length === 1) return backend.alias(parts[0].value);
  if (parts.length <= CONCAT_FAN_IN) return concatPass(backend, parts, outer);
  const groups: { value: GpuValue; width: number }[] = [];
  for (let start = 0; start < parts.length; start += CONCAT_FAN_IN) {
    const group = parts.slice(start, start + CONCAT_FAN_IN);
    groups.push({
      value: concatColumns(
        backend,
        group.map((p) => p.value),
        group.map((p) => p.width),
        outer,
      ),
      width: group.reduce((n, p) => n + p.width, 0),
    });
  }
  const out = concatColumns(
    backend,
    groups.map((g) => g.value),
    groups.map((g) => g.width),
    outer,
  );
  for (const g of groups) backend.free(g.value);
  return out;
}

function concatPass(
  backend: GpujsBackend,
  parts: readonly { value: GpuValue; width: number }[],
  outer: number,
): GpuValue {
  const total = parts.reduce((n, p) => n + p.width, 0);
  const widths = parts.map((p) => p.width);
  const params = parts.map((_, k) => `a${k}`);
  return backend.run(
    `concat:${outer}:[${widths}]`,
    outer * total,
    () => {
      const { code, coords } = unravel('i', [outer, total], 'o');
      const [row, col] = coords;
      const lines = [code];
      let offset = 0;
      parts.forEach((part, k) => {
        const read = `a${k}[${row === '0.0' ? '' : `${row} * ${int(part.width)} + `}${col} - ${int(offset)}]`;
        offset += part.width;
        lines.push(
          k === parts.length - 1
            ? `return ${read};`
            : `if (${col} < ${int(offset)}) { return ${read}; }`,
        );
      });
      return kernelSource(params, lines.join('\n'));
    },
    parts.map((p) => p.value),
  );
}

/** Joins tensors along `axis`. */
export const concat: KernelFunc<'Concat', GpujsBackend> = ({ xs }, { axis }, backend) => {
  const first = xs[0];
  const shape = concatOutShape(
    xs.map((x) => x.shape),
    axis,
  );
  if (sizeOf(shape) === 0) return { y: backend.empty(shape, first.dtype) };
  const { outer, inner } = splitAtAxis(first.shape, axis);
  const value = concatColumns(
    backend,
    xs.map((x) => backend.value(x)),
    xs.map((x) => x.shape[axis] * inner),
    outer,
  );
  return { y: backend.make(value, shape, first.dtype) };
};

/** Slices of `x` along `axis` at int32 `indices`. */
export const gather: KernelFunc<'Gather', GpujsBackend> = ({ x, indices }, { axis }, backend) => {
  const shape = gatherOutShape(x.shape, indices.shape, axis);
  const size = sizeOf(shape);
  if (size === 0) return { y: backend.empty(shape, x.dtype) };
  const { outer, extent, inner } = splitAtAxis(x.shape, axis);
  const count = sizeOf(indices.shape);
  const value = backend.run(
    `gather:${outer}x${extent}x${inner}:${count}`,
    size,
    () => {
      const { code, coords } = unravel('i', [outer, count, inner], 'o');
      const [o, q, n] = coords;
      return kernelSource(
        ['a', 'idx'],
        [
          code,
          `const at = idx[${q}];`,
          `return a[${dotIndex([o, n], [extent * inner, 1])} + at * ${int(inner)}];`,
        ].join('\n'),
      );
    },
    [backend.value(x), backend.value(indices)],
  );
  return { y: backend.make(value, shape, x.dtype) };
};

/**
 * The adjoint of Gather: each output element sums the update slices whose index points at it
 * (one pass over the indices per element, so no atomics and a deterministic order).
 */
export const scatterAdd: KernelFunc<'ScatterAdd', GpujsBackend> = (
  { updates, indices },
  { axis, shape },
  backend,
) => {
  const size = sizeOf(shape);
  if (size === 0) return { y: backend.empty(shape, updates.dtype) };
  const count = sizeOf(indices.shape);
  if (count === 0) return { y: backend.fill(shape, updates.dtype, 0) };
  const { outer, extent, inner } = splitAtAxis(shape, axis);
  const value = backend.run(
    `scatteradd:${outer}x${extent}x${inner}:${count}`,
    size,
    () => {
      const { code, coords } = unravel('i', [outer, extent, inner], 'o');
      const [o, at, n] = coords;
      return kernelSource(
        ['u', 'idx'],
        [
          code,
          `const base = ${dotIndex([o, n], [count * inner, 1])};`,
          'let s = 0.0;',
          `for (let q = 0; q < ${count}; q++) {`,
          `  if (idx[q] == ${at}) { s = s + u[base + q * ${inner}]; }`,
          '}',
          'return s;',
        ].join('\n'),
      );
    },
    [backend.value(updates), backend.value(indices)],
  );
  return { y: backend.make(value, shape, updates.dtype) };
};

/** One-hot rows of int32 indices; out-of-range indices give a zero row. */
export const oneHot: KernelFunc<'OneHot', GpujsBackend> = (
  { indices },
  { depth, dtype },
  backend,
) => {
  if (!backend.dtypes.includes(dtype)) {
    throw new DTypeError(`gpujs backend: OneHot to '${dtype}' is not supported`);
  }
  const shape = [...indices.shape, depth];
  const size = sizeOf(shape);
  if (size === 0) return { y: backend.empty(shape, dtype) };
  const count = sizeOf(indices.shape);
  const value = backend.run(
    `onehot:${count}x${depth}`,
    size,
    () => {
      const { code, coords } = unravel('i', [count, depth], 'o');
      return kernelSource(
        ['idx'],
        [code, `return idx[${coords[0]}] == ${coords[1]} ? 1.0 : 0.0;`].join('\n'),
      );
    },
    [backend.value(indices)],
  );
  return { y: backend.make(value, shape, dtype) };
};

/** Runs an index-mapping kernel: output coordinates → one input element. */
function remap(
  backend: GpujsBackend,
  key: string,
  x: GpuValue,
  shape: Shape,
  extra: GpuValue | undefined,
  body: (coords: string[]) => string,
): GpuValue {
  return backend.run(
    key,
    sizeOf(shape),
    () => {
      const { code, coords } = unravel('i', shape, 'o');
      return kernelSource(extra ? ['a', 'v'] : ['a'], `${code}\n${body(coords)}`);
    },
    extra ? [x, extra] : [x],
  );
}

/** The block `x[begin : begin + size]`. */
export const slice: KernelFunc<'Slice', GpujsBackend> = ({ x }, { begin, size }, backend) => {
  if (sizeOf(size) === 0) return { y: backend.empty(size, x.dtype) };
  const xStrides = stridesOf(x.shape);
  const base = flatOffset(begin, xStrides);
  const value = remap(
    backend,
    `slice:[${x.shape}]:[${begin}]:[${size}]`,
    backend.value(x),
    size,
    undefined,
    (c) => `return a[${dotIndex(c, xStrides, base)}];`,
  );
  return { y: backend.make(value, size, x.dtype) };
};

/** Pads each axis with `value`. */
export const pad: KernelFunc<'Pad', GpujsBackend> = ({ x }, { paddings, value }, backend) => {
  const shape = padOutShape(x.shape, paddings);
  if (sizeOf(shape) === 0) return { y: backend.empty(shape, x.dtype) };
  if (sizeOf(x.shape) === 0) return { y: backend.fill(shape, x.dtype, value) };
  const xStrides = stridesOf(x.shape);
  // A non-finite pad value comes from a one-element texture (GLSL has no literal for it).
  const finite = Number.isFinite(value);
  const key = `pad:[${x.shape}]:[${paddings.map((p) => p.join('/'))}]:${finite ? value : 'tex'}`;
  const fillValue = finite ? undefined : backend.upload([value]);
  const out = remap(backend, key, backend.value(x), shape, fillValue, (c) => {
    const checks: string[] = [];
    const inCoords = c.map((coord, axis) => {
      const [before, after] = paddings[axis];
      if (before === 0 && after === 0) return coord;
      const shifted = before === 0 ? coord : `(${coord} - ${int(before)})`;
      if (before > 0) checks.push(`${coord} < ${int(before)}`);
      if (after > 0) checks.push(`${coord} >= ${int(before + x.shape[axis])}`);
      return shifted;
    });
    return [
      checks.length
        ? `if (${checks.join(' || ')}) { return ${finite ? lit(value) : 'v[0]'}; }`
        : '',
      `return a[${dotIndex(inCoords, xStrides)}];`,
    ].join('\n');
  });
  if (fillValue) backend.free(fillValue);
  return { y: backend.make(out, shape, x.dtype) };
};

/** Permutes axes. */
export const transpose: KernelFunc<'Transpose', GpujsBackend> = ({ x }, { perm }, backend) => {
  const shape = transposeOutShape(x.shape, perm);
  if (sizeOf(shape) === 0) return { y: backend.empty(shape, x.dtype) };
  const xStrides = stridesOf(x.shape);
  const value = remap(
    backend,
    `transpose:[${x.shape}]:[${perm}]`,
    backend.value(x),
    shape,
    undefined,
    (c) =>
      `return a[${dotIndex(
        c,
        perm.map((p) => xStrides[p]),
      )}];`,
  );
  return { y: backend.make(value, shape, x.dtype) };
};

/** Reverses `axes`. */
export const reverse: KernelFunc<'Reverse', GpujsBackend> = ({ x }, { axes }, backend) => {
  if (sizeOf(x.shape) === 0) return { y: backend.empty(x.shape, x.dtype) };
  const flipped = new Set(axes);
  const xStrides = stridesOf(x.shape);
  const value = remap(
    backend,
    `reverse:[${x.shape}]:[${axes}]`,
    backend.value(x),
    x.shape,
    undefined,
    (c) =>
      `return a[${dotIndex(
        c.map((coord, axis) =>
          flipped.has(axis) && x.shape[axis] > 1 ? `(${int(x.shape[axis] - 1)} - ${coord})` : coord,
        ),
        xStrides,
      )}];`,
  );
  return { y: backend.make(value, x.shape, x.dtype) };
};
