// The AdamUpdate kernel: one fused Adam/AdamW step (assembly/AdamUpdate.ts).
import type { KernelFunc } from '@rnnkit/core';
import { adamCoefficients, sizeOf } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';

/**
 * One fused Adam/AdamW step in a single pass of f32x4 lanes (`assembly/AdamUpdate.ts`), every
 * operation rounded to float32 in the catalogue's order. The scalars are computed in float64 by
 * core's `adamCoefficients` and rounded to float32 when passed in.
 */
export const adamUpdate: KernelFunc<'AdamUpdate', WasmBackend> = (
  { param, grad, m, v },
  attrs,
  backend,
) => {
  const n = sizeOf(param.shape);
  const pOut = backend.output(param.shape, param.dtype);
  const mOut = backend.output(param.shape, param.dtype);
  const vOut = backend.output(param.shape, param.dtype);
  if (n > 0) {
    const c = adamCoefficients(attrs);
    backend.wasm.adamUpdate(
      backend.ptr(param),
      backend.ptr(grad),
      backend.ptr(m),
      backend.ptr(v),
      n,
      pOut.ptr,
      mOut.ptr,
      vOut.ptr,
      c.beta1,
      c.oneMinusBeta1,
      c.beta2,
      c.oneMinusBeta2,
      c.eps,
      c.sqrtBc2,
      c.stepSize,
      c.l2,
      c.decay,
    );
  }
  return { param: pOut.info, m: mOut.info, v: vOut.info };
};
