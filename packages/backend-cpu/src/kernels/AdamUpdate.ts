/**
 * The `AdamUpdate` kernel of the cpu backend (one file per kernel).
 */
import type { AdamAttrs, KernelFunc } from '@rnnkit/core';
import { adamCoefficients, sizeOf } from '@rnnkit/core';
import type { CpuBackend } from '../backend.js';
import { type FloatArray, floatArrayFor } from './util/float.js';

/**
 * One fused Adam/AdamW step, in the catalogue's order of operations and rounding every operation
 * (and every scalar coefficient) to the storage dtype, exactly as the composed element-wise core
 * ops do on this backend: the fused step gives bit-for-bit the results of the ops it replaces,
 * in float32 as in float64.
 */
export const adamUpdate: KernelFunc<'AdamUpdate', CpuBackend> = (
  { param, grad, m, v },
  attrs,
  backend,
) => {
  const n = sizeOf(param.shape);
  const out = {
    p: floatArrayFor(param.dtype, n),
    m: floatArrayFor(param.dtype, n),
    v: floatArrayFor(param.dtype, n),
  };
  const inputs = [param, grad, m, v].map((x) => backend.floatValues(x)) as [
    FloatArray,
    FloatArray,
    FloatArray,
    FloatArray,
  ];
  if (param.dtype === 'float32') adamFloat32(inputs, out, attrs);
  else adamFloat64(inputs, out, attrs);
  return {
    param: backend.make(out.p, param.shape, param.dtype),
    m: backend.make(out.m, param.shape, param.dtype),
    v: backend.make(out.v, param.shape, param.dtype),
  };
};

type Arrays = [FloatArray, FloatArray, FloatArray, FloatArray];
type Outputs = { p: FloatArray; m: FloatArray; v: FloatArray };

function adamFloat64([ps, gs, ms, vs]: Arrays, out: Outputs, attrs: AdamAttrs): void {
  const { beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps, sqrtBc2, stepSize, l2, decay } =
    adamCoefficients(attrs);
  for (let i = 0; i < ps.length; i++) {
    let p = ps[i];
    let g = gs[i];
    if (decay !== 1) p = p * decay;
    if (l2 !== 0) g = g + p * l2;
    const mi = ms[i] * beta1 + g * oneMinusBeta1;
    const vi = vs[i] * beta2 + g * g * oneMinusBeta2;
    out.m[i] = mi;
    out.v[i] = vi;
    out.p[i] = p - (mi / (Math.sqrt(vi) / sqrtBc2 + eps)) * stepSize;
  }
}

/** The same arithmetic with every result rounded to float32 (`Math.fround`), like wasm's f32. */
function adamFloat32([ps, gs, ms, vs]: Arrays, out: Outputs, attrs: AdamAttrs): void {
  const c = adamCoefficients(attrs);
  const f = Math.fround;
  const [beta1, oneMinusBeta1, beta2, oneMinusBeta2] = [
    f(c.beta1),
    f(c.oneMinusBeta1),
    f(c.beta2),
    f(c.oneMinusBeta2),
  ];
  const [eps, sqrtBc2, stepSize, l2, decay] = [
    f(c.eps),
    f(c.sqrtBc2),
    f(c.stepSize),
    f(c.l2),
    f(c.decay),
  ];
  const useDecay = c.decay !== 1;
  const useL2 = c.l2 !== 0;
  for (let i = 0; i < ps.length; i++) {
    let p = ps[i];
    let g = gs[i];
    if (useDecay) p = f(p * decay);
    if (useL2) g = f(g + f(p * l2));
    const mi = f(f(ms[i] * beta1) + f(g * oneMinusBeta1));
    const vi = f(f(vs[i] * beta2) + f(f(g * g) * oneMinusBeta2));
    out.m[i] = mi;
    out.v[i] = vi;
    out.p[i] = f(p - f(f(mi / f(f(f(Math.sqrt(vi)) / sqrtBc2) + eps)) * stepSize));
  }
}
