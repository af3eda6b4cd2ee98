// The AdamUpdate kernel: one fused Adam/AdamW step per element.
import type { KernelFunc } from '@rnnkit/core';
import { adamCoefficients, sizeOf } from '@rnnkit/core';
import type { GpujsBackend } from '../backend.js';
import { kernelSource } from '../codegen.js';

/**
 * One fused Adam/AdamW step as three element-wise kernels: the new first moment, the new second
 * moment, then the new parameter from those two textures (so `param` uses exactly the stored
 * moments). The scalars (core's `adamCoefficients`) are float uniforms, so a learning-rate
 * schedule or the step count never recompiles a shader; only whether the L2 term and the decay
 * factor apply is baked in. Every operation is a float32 GPU operation in the catalogue's order.
 */
export const adamUpdate: KernelFunc<'AdamUpdate', GpujsBackend> = (
  { param, grad, m, v },
  attrs,
  backend,
) => {
  const size = sizeOf(param.shape);
  const { shape, dtype } = param;
  if (size === 0) {
    return {
      param: backend.empty(shape, dtype),
      m: backend.empty(shape, dtype),
      v: backend.empty(shape, dtype),
    };
  }
  const c = adamCoefficients(attrs);
  const useDecay = c.decay !== 1;
  const useL2 = c.l2 !== 0;
  const variant = `${useDecay ? 'decay' : ''}${useL2 ? 'l2' : ''}`;
  // The gradient the moments see: p·decay first (AdamW), then g + p·l2 (Adam's L2).
  const effectiveGradient = [
    `let p = a[i];`,
    useDecay ? 'p = p * decay;' : '',
    `let g = b[i];`,
    useL2 ? 'g = g + p * l2;' : '',
  ].join('\n');
  const p = backend.value(param);
  const g = backend.value(grad);
  const mNew = backend.run(
    `adam:m:${variant}:${size}`,
    size,
    () =>
      kernelSource(
        ['a', 'b', 'mt', 'beta1', 'oneMinusBeta1', 'l2', 'decay'],
        `${effectiveGradient}\nreturn mt[i] * beta1 + g * oneMinusBeta1;`,
      ),
    [p, g, backend.value(m), c.beta1, c.oneMinusBeta1, c.l2, c.decay],
  );
  const vNew = backend.run(
    `adam:v:${variant}:${size}`,
    size,
    () =>
      kernelSource(
        ['a', 'b', 'vt', 'beta2', 'oneMinusBeta2', 'l2', 'decay'],
        `${effectiveGradient}\nreturn vt[i] * beta2 + (g * g) * oneMinusBeta2;`,
      ),
    [p, g, backend.value(v), c.beta2, c.oneMinusBeta2, c.l2, c.decay],
  );
  const pNew = backend.run(
    `adam:p:${useDecay ? 'decay' : ''}:${size}`,
    size,
    () =>
      kernelSource(
        ['a', 'mn', 'vn', 'sqrtBc2', 'eps', 'stepSize', 'decay'],
        [
          'let p = a[i];',
          useDecay ? 'p = p * decay;' : '',
          'const denom = Math.sqrt(vn[i]) / sqrtBc2 + eps;',
          'return p - (mn[i] / denom) * stepSize;',
        ].join('\n'),
      ),
    [p, mNew, vNew, c.sqrtBc2, c.eps, c.stepSize, c.decay],
  );
  return {
    param: backend.make(pNew, shape, dtype),
    m: backend.make(mNew, shape, dtype),
    v: backend.make(vNew, shape, dtype),
  };
};
