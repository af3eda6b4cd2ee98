import type { KernelFunc } from '@rnnkit/core';
import { BINARY_OPS, broadcastStrides, sizeOf, UNARY_OPS } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { collapse } from './util.js';

/** Element-wise function of one tensor (f32x4 where the function has a vector form). */
export const unary: KernelFunc<'Unary', WasmBackend> = ({ x }, { op }, backend) => {
  const code = UNARY_OPS.indexOf(op);
  if (code < 0) throw new RangeError(`wasm backend: unknown unary op ${String(op)}`);
  const size = sizeOf(x.shape);
  const out = backend.output(x.shape, x.dtype);
  if (size > 0) {
    if (x.dtype === 'int32') backend.wasm.unaryI32(code, backend.ptr(x), out.ptr, size);
    else backend.wasm.unaryF32(code, backend.ptr(x), out.ptr, size);
  }
  return { y: out.info };
};

/** Broadcasting binary function; the iteration is collapsed to as few axes as possible. */
export const binary: KernelFunc<'Binary', WasmBackend> = ({ a, b }, { op, shape }, backend) => {
  const code = BINARY_OPS.indexOf(op);
  if (code < 0) throw new RangeError(`wasm backend: unknown binary op ${String(op)}`);
  const out = backend.output(shape, a.dtype);
  if (sizeOf(shape) > 0) {
    const c = collapse(shape, [broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)]);
    const params = backend.writeParams(c.shape, c.strides[0], c.strides[1]);
    backend.wasm.binary(
      code,
      a.dtype === 'int32' ? 1 : 0,
      c.shape.length,
      params,
      backend.ptr(a),
      backend.ptr(b),
      out.ptr,
    );
  }
  return { y: out.info };
};

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
