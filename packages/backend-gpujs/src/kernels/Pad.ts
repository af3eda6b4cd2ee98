// The Pad kernel: one index-mapping pass with a fill value.
import type { KernelFunc } from '@rnnkit/core';
import { padOutShape, sizeOf, stridesOf } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { dotIndex, int, lit } from '../codegen.js';
import { remap } from './util/remap.js';

/** Pads each axis with `value`. */
export const pad: KernelFunc<'Pad', GpujsBackend> = ({ x }, { paddings, value }, backend) => {
  const shape = padOutShape(x.shape, paddings);
  if (sizeOf(shape) === 0) return { y: backend.empty(shape, x.dtype) };
  if (sizeOf(x.shape) === 0) return { y: backend.filledTensor(shape, x.dtype, value) };
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
