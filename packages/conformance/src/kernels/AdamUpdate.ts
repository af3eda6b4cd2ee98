/**
 * Kernel cases of `AdamUpdate`: Adam (L2 decay and none) and AdamW on odd sizes, at steps 1, 2, 10 and 1000, from the state the catalogue's update reaches after the earlier steps.
 */
import type { AdamAttrs, Random, Shape } from '@rnnkit/core';
import { sizeOf } from '@rnnkit/core';
import { type HostTensor, hostTensor, shapeText, uniformTensor } from '@rnnkit/testing';
import { oracleAdamUpdate } from '../oracle.js';
import { kernelTolerance } from '../tolerances.js';
import type { CasePush, FloatDType } from './domains.js';

/**
 * Rounded operations behind one output element of `AdamUpdate` in a backend computing in its
 * storage dtype, counted along the longest chain (the catalogue's order of operations), each
 * relative to the magnitude of the terms `oracleAdamUpdate` returns as the scale:
 * - effective gradient `g + p·wd` after `p·(1 − lr·wd)`: 3 operations;
 * - `m' = m·β₁ + g·(1 − β₁)`: 3 more, so **m: 6 + 4** for rounding the coefficients β₁,
 *   1 − β₁, wd and 1 − lr·wd to the dtype (they are float64 attributes);
 * - `v' = v·β₂ + (g·g)·(1 − β₂)`: squaring doubles the gradient's 3, then 4 more, so
 *   **v: 10 + 4** for the coefficients;
 * - `p' = p·decay − (m' / (√v' / √bc2 + ε))·(lr / bc1)`: m' (10), the denominator (half of v's
 *   14 through the square root, then √, ÷, + and the coefficients √bc2 and ε: 12), the
 *   quotient, the product and its coefficient lr / bc1 (3), the decay product and its
 *   coefficient (2) and the subtraction (1): **param: 28**.
 */
export const ADAM_ROUNDINGS = { m: 10, v: 14, param: 28 } as const;
/** The optimiser variants every `AdamUpdate` case family runs: Adam (L2 decay and none) and AdamW. */
export const ADAM_VARIANTS: readonly [string, Omit<AdamAttrs, 'step'>][] = [
  ['adam', { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false }],
  ['adam-l2', { lr: 1e-2, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1, decoupled: false }],
  ['adamw', { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true }],
  [
    'adamw-strong',
    { lr: 0.1, beta1: 0.5, beta2: 0.9, eps: 1e-6, weightDecay: 0.5, decoupled: true },
  ],
];

/** The inputs of one `AdamUpdate` call. */
export interface AdamInputs {
  param: HostTensor;
  grad: HostTensor;
  m: HostTensor;
  v: HostTensor;
}

/**
 * Adds the `AdamUpdate` case of `inputs` and `attrs`, each output held to its
 * {@link ADAM_ROUNDINGS} relative to the magnitude of the terms behind it.
 */
export function pushAdamCase(
  push: CasePush,
  id: string,
  inputs: AdamInputs,
  attrs: AdamAttrs,
): void {
  const dtype = inputs.param.dtype;
  const { param, grad, m, v } = inputs;
  const oracle = () => oracleAdamUpdate(param, grad, m, v, attrs);
  const tolerance = () => {
    const { scale } = oracle();
    return Object.fromEntries(
      (['param', 'm', 'v'] as const).map((k) => [
        k,
        { tolerance: kernelTolerance(dtype, 0, ADAM_ROUNDINGS[k]), scale: Math.max(1, scale[k]) },
      ]),
    );
  };
  push({
    id,
    kernel: 'AdamUpdate',
    dtypes: [dtype],
    inputs: { ...inputs },
    attrs: { ...attrs },
    oracle: () => {
      const o = oracle();
      const t = tolerance();
      return {
        param: { tensor: o.param, ...t.param },
        m: { tensor: o.m, ...t.m },
        v: { tensor: o.v, ...t.v },
      };
    },
    tolerance,
  });
}

/**
 * The inputs of an `AdamUpdate` call at `step`: the state the catalogue's update reaches after
 * the earlier steps from zero moments with random gradients, so the moments and bias
 * corrections are realistic, and a fresh random gradient.
 */
export function adamStateAt(
  rng: Random,
  shape: Shape,
  dtype: FloatDType,
  attrs: AdamAttrs,
): AdamInputs {
  let param = uniformTensor(rng, shape, dtype);
  let m = hostTensor(shape, dtype, new Float64Array(sizeOf(shape)));
  let v = m;
  for (let t = 1; t < attrs.step; t++) {
    const g = uniformTensor(rng, shape, dtype);
    ({ param, m, v } = oracleAdamUpdate(param, g, m, v, { ...attrs, step: t }));
  }
  return { param, grad: uniformTensor(rng, shape, dtype), m, v };
}

/** `AdamUpdate` cases of one float dtype: every variant on odd sizes, at steps 1, 2, 10 and 1000. */
export function adamUpdateCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  const adamShapes: Shape[] = [[1], [3], [17], [33], [3, 17], [2, 3, 33], [0, 3]];
  let rotation = 0;
  for (const [name, hyper] of ADAM_VARIANTS) {
    for (const shape of adamShapes) {
      const step = [1, 2, 10, 1000][rotation++ % 4];
      const attrs: AdamAttrs = { ...hyper, step };
      const id = `kernel/AdamUpdate/${dtype}/${name}/${shapeText(shape)}/step=${step}`;
      pushAdamCase(push, id, adamStateAt(rng, shape, dtype, attrs), attrs);
    }
  }
}
