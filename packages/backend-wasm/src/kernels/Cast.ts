// The Cast kernel: float32 <-> int32 conversions (assembly/Cast.ts).
import type { KernelFunc } from '@rnnkit/core';
import { sizeOf } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';

/** Converts between float32 and int32 (float to int truncates toward zero). */
export const cast: KernelFunc<'Cast', WasmBackend> = ({ x }, { dtype }, backend) => {
  const size = sizeOf(x.shape);
  const out = backend.output(x.shape, dtype);
  if (size > 0) {
    const src = backend.ptr(x);
    if (x.dtype === dtype) backend.u8.copyWithin(out.ptr, src, src + size * 4);
    else if (dtype === 'int32') backend.wasm.castF32ToI32(src, out.ptr, size);
    else backend.wasm.castI32ToF32(src, out.ptr, size);
  }
  return { y: out.info };
};
