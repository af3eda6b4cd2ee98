// The Pad kernel: a fill with the pad value, then one strided block copy (assembly/Pad.ts).
import type { KernelFunc } from '@rnnkit/core';
import { flatOffset, padOutShape, sizeOf, stridesOf } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { copyStrided } from './util/strided.js';

/** Pads each axis by `[before, after]` elements of `value`. */
export const pad: KernelFunc<'Pad', WasmBackend> = ({ x }, { paddings, value }, backend) => {
  const shape = padOutShape(x.shape, paddings);
  const out = backend.output(shape, x.dtype);
  const total = sizeOf(shape);
  if (total === 0) return { y: out.info };
  backend.fillStorage(out.ptr, total, x.dtype, value);
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
