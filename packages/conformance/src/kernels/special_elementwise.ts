/**
 * Kernel cases of the element-wise kernels on special values every backend must treat like the
 * reference: every `Unary` and `Binary` op on NaN, ±Infinity, signed zeros, a subnormal,
 * overflow and huge magnitudes, `pow` of negative bases, and `AdamUpdate` with such gradients.
 * Small and large magnitudes are separate cases, so that the error scale (the largest finite
 * expected value) of the large ones does not hide errors on the small ones.
 */
import type { Random } from '@rnnkit/core';
import { BINARY_OPS, UNARY_OPS } from '@rnnkit/core';
import { type HostTensor, hostTensor } from '@rnnkit/testing';
import { ADAM_VARIANTS, adamStateAt, pushAdamCase } from './AdamUpdate.js';
import { pushBinaryCase } from './Binary.js';
import type { CasePush, FloatDType } from './domains.js';
import { SPECIAL_VALUES } from './special_values.js';
import { pushUnaryCase } from './Unary.js';

/** float32 subnormals: a GPU may flush them to zero, so they get cases of their own. */
const SUBNORMAL = SPECIAL_VALUES.filter((v) => v !== 0 && Math.abs(v) < 2 ** -126);
const NORMAL = SPECIAL_VALUES.filter((v) => !SUBNORMAL.includes(v));
/** The special values of magnitude below 20, with the non-finite ones. */
const SMALL = NORMAL.filter((v) => Math.abs(v) < 20 || !Number.isFinite(v));
/** The special values of magnitude 20 and more, with the non-finite ones. */
const LARGE = NORMAL.filter((v) => !(Math.abs(v) < 20));
/** Subnormals of both signs among ordinary values and signed zeros. */
const WITH_SUBNORMALS = [...SUBNORMAL, ...SUBNORMAL.map((v) => -v), 0, -0, 1, -2.5];

const vector = (dtype: FloatDType, values: readonly number[]): HostTensor =>
  hostTensor([values.length], dtype, values);

/** Every pair of `xs` and `ys` as two vectors: the first operands, then the second ones. */
function pairs(xs: readonly number[], ys: readonly number[]): [number[], number[]] {
  return [xs.flatMap((x) => ys.map(() => x)), xs.flatMap(() => ys)];
}

/** Special-value cases of the element-wise kernels in one float dtype. */
export function specialElementwiseCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  for (const op of UNARY_OPS) {
    pushUnaryCase(push, op, vector(dtype, SMALL), 'specials-small');
    pushUnaryCase(push, op, vector(dtype, LARGE), 'specials-large');
    pushUnaryCase(push, op, vector(dtype, WITH_SUBNORMALS), 'subnormals');
  }
  // Every pair of small values; every large value against every special value, both ways.
  const [sa, sb] = pairs(SMALL, SMALL);
  const [la, lb] = pairs(LARGE, NORMAL);
  const [na, nb] = pairs(SUBNORMAL, [...WITH_SUBNORMALS, ...NORMAL]);
  for (const op of BINARY_OPS) {
    pushBinaryCase(push, op, vector(dtype, sa), vector(dtype, sb), 'specials-small');
    pushBinaryCase(
      push,
      op,
      vector(dtype, [...la, ...lb]),
      vector(dtype, [...lb, ...la]),
      'specials-large',
    );
    const subnormals = [vector(dtype, [...na, ...nb]), vector(dtype, [...nb, ...na])] as const;
    pushBinaryCase(push, op, ...subnormals, 'subnormals');
  }
  // Negative bases: integer exponents give real powers, fractional ones NaN; 0 to a negative power is Infinity.
  const bases = vector(dtype, [-2, -2, -1.5, -3, 0, 0, -0, 2, -1, -1]);
  const exponents = vector(dtype, [2, 3, 0.5, -1, -1, 0, -3, 0.5, 1e30, Number.POSITIVE_INFINITY]);
  pushBinaryCase(push, 'pow', bases, exponents, 'negative-bases');
  // Gradients holding every special value whose square float32 holds (1e30² overflows a
  // float32 second moment but not the oracle's float64 one), after realistic moments.
  const gradients = SPECIAL_VALUES.filter((v) => !(Math.abs(v) > 1e19 && Number.isFinite(v)));
  const n = gradients.length + 5;
  for (const [name, hyper] of ADAM_VARIANTS) {
    const attrs = { ...hyper, step: 2 };
    const inputs = adamStateAt(rng, [n], dtype, attrs);
    const grad = Float64Array.from(inputs.grad.values);
    grad.set(gradients);
    const id = `kernel/AdamUpdate/${dtype}/${name}/specials`;
    pushAdamCase(push, id, { ...inputs, grad: hostTensor([n], dtype, grad) }, attrs);
  }
}
