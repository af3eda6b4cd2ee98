// The host side shared by the Softmax and LogSoftmax kernels (one module export, a log flag).
import type { KernelFunc } from '@rnnkit/core';
import { sizeOf } from '@rnnkit/core';
import type { WasmBackend } from '../../backend.js';

/** A row-wise softmax kernel over the last axis; `log` selects log-softmax. */
export function softmaxKernel<K extends 'Softmax' | 'LogSoftmax'>(
  log: boolean,
): KernelFunc<K, WasmBackend> {
  return ({ x }, _attrs, backend) => {
    const out = backend.output(x.shape, x.dtype);
    const n = x.shape.length === 0 ? 1 : x.shape[x.shape.length - 1];
    const size = sizeOf(x.shape);
    if (size > 0 && n > 0) backend.wasm.softmax(backend.ptr(x), size / n, n, out.ptr, log ? 1 : 0);
    return { y: out.info };
  };
}
