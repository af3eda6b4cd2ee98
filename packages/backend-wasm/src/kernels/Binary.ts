// The Binary kernel: broadcasting element-wise functions of two tensors (assembly/Binary.ts).
import type { KernelFunc } from '@rnnkit/core';
import { BINARY_OPS, broadcastStrides, sizeOf } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { opCode } from './util/op_codes.js';
import { collapse } from './util/strided.js';

/** Broadcasting binary function; the iteration is collapsed to as few axes as possible. */
export const binary: KernelFunc<'Binary', WasmBackend> = ({ a, b }, { op, shape }, backend) => {
  const code = opCode(BINARY_OPS, op, 'binary op');
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
