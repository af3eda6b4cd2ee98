// The Unary kernel: element-wise functions of one tensor (assembly/Unary.ts).
import type { KernelFunc } from '@rnnkit/core';
import { sizeOf, UNARY_OPS } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { opCode } from './util/op_codes.js';

/** Element-wise function of one tensor (f32x4 where the function has a vector form). */
export const unary: KernelFunc<'Unary', WasmBackend> = ({ x }, { op }, backend) => {
  const code = opCode(UNARY_OPS, op, 'unary op');
  const size = sizeOf(x.shape);
  const out = backend.output(x.shape, x.dtype);
  if (size > 0) {
    if (x.dtype === 'int32') backend.wasm.unaryI32(code, backend.ptr(x), out.ptr, size);
    else backend.wasm.unaryF32(code, backend.ptr(x), out.ptr, size);
  }
  return { y: out.info };
};
