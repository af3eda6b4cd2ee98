// The ArgMax kernel: index of the largest value along one axis (assembly/ArgMax.ts).
import type { KernelFunc } from '@rnnkit/core';
import { reduceOutShape, splitAtAxis } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';

/** Index of the largest value along `axis` (first on ties, NaN wins). */
export const argMax: KernelFunc<'ArgMax', WasmBackend> = ({ x }, { axis }, backend) => {
  const { outer, extent, inner } = splitAtAxis(x.shape, axis);
  const out = backend.output(reduceOutShape(x.shape, [axis], false), 'int32');
  if (outer * inner > 0) {
    backend.wasm.argMax(x.dtype === 'int32' ? 1 : 0, backend.ptr(x), outer, extent, inner, out.ptr);
  }
  return { y: out.info };
};
