// The ScatterAdd kernel: slices added into zeros at indices along one axis (assembly/ScatterAdd.ts).
import type { KernelFunc } from '@rnnkit/core';
import { sizeOf, splitAtAxis } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';

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
