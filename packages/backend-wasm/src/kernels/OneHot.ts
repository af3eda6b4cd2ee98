// The OneHot kernel: one row of `depth` per index (assembly/OneHot.ts).
import type { KernelFunc } from '@rnnkit/core';
import { sizeOf } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';

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
