// The Gather kernel: slices selected by indices along one axis (assembly/Gather.ts).
import type { KernelFunc } from '@rnnkit/core';
import { gatherOutShape, sizeOf, splitAtAxis } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';

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
