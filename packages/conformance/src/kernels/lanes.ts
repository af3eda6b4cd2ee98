/**
 * Kernel cases sized to cross a backend's vector lanes (4 floats), their tails and its passes:
 * products whose rows and depths are multiples of 4 or not, batch broadcasting under every
 * transpose, long vectors of every unary op and of the optimiser, and more inputs to `Concat`
 * than one GPU pass takes. Backends that vectorise or tile differ from the reference here first.
 */
import type { Random, Shape } from '@rnnkit/core';
import { UNARY_OPS } from '@rnnkit/core';
import { hostTensor, uniformTensor } from '@rnnkit/testing';
import { oracleConcat } from '../oracle.js';
import { ADAM_VARIANTS, adamStateAt, pushAdamCase } from './AdamUpdate.js';
import { type CasePush, type FloatDType, pushExact, uniform } from './domains.js';
import { pushMatMulCase } from './MatMul.js';
import { pushSoftmaxCase } from './Softmax.js';
import { pushUnaryCase } from './Unary.js';

/** [M, K, N] with full lanes, tails and both. */
const LANE_DIMS: [number, number, number][] = [
  [4, 3, 8],
  [4, 17, 4],
  [8, 4, 3],
  [17, 33, 8],
  [33, 8, 33],
];

/** Lane- and pass-crossing cases of one float dtype. */
export function laneCases(rng: Random, dtype: FloatDType, push: CasePush): void {
  for (const [M, K, N] of LANE_DIMS)
    for (const tA of [false, true])
      for (const tB of [false, true]) {
        const a = uniformTensor(rng, tA ? [K, M] : [M, K], dtype);
        const b = uniformTensor(rng, tB ? [N, K] : [K, N], dtype);
        pushMatMulCase(push, dtype, a, b, tA, tB);
      }
  // A batch of 1 broadcast on either side or both, with mixed transposes.
  const [M, K, N] = [5, 17, 3];
  for (const [ba, bb] of [
    [1, 4],
    [4, 1],
    [1, 1],
  ])
    for (const [tA, tB] of [
      [false, true],
      [true, false],
    ]) {
      const a = uniformTensor(rng, [ba, ...(tA ? [K, M] : [M, K])], dtype);
      const b = uniformTensor(rng, [bb, ...(tB ? [N, K] : [K, N])], dtype);
      pushMatMulCase(push, dtype, a, b, tA, tB);
    }
  for (const op of UNARY_OPS) {
    const low = op === 'log' || op === 'sqrt' || op === 'rsqrt' ? 0.01 : -6;
    pushUnaryCase(push, op, uniform(low, 6)(rng, [1027], dtype));
  }
  for (const n of [4, 8, 1027]) {
    const [name, hyper] = ADAM_VARIANTS[n % ADAM_VARIANTS.length];
    const attrs = { ...hyper, step: 3 };
    const id = `kernel/AdamUpdate/${dtype}/${name}/[${n}]/step=3/lanes`;
    pushAdamCase(push, id, adamStateAt(rng, [n], dtype, attrs), attrs);
  }
  // 19 inputs, one of them empty: more than one pass of a GPU backend takes.
  const shapes: Shape[] = Array.from({ length: 19 }, (_, i) => [2, (i % 3) + (i === 4 ? -1 : 0)]);
  const xs = shapes.map((s) => uniformTensor(rng, s, dtype));
  pushExact(
    push,
    {
      id: `kernel/Concat/${dtype}/19 inputs [2, 0..2]/axis=1`,
      kernel: 'Concat',
      dtypes: [dtype],
      inputs: { xs },
      attrs: { axis: 1 },
    },
    () => oracleConcat(xs, 1),
  );
  // A scalar, a short row, a row of -Infinity, a masked row and large logits.
  for (const kernel of ['Softmax', 'LogSoftmax'] as const) {
    pushSoftmaxCase(push, dtype, kernel, uniformTensor(rng, [], dtype, -5, 5), '/scalar');
    pushSoftmaxCase(push, dtype, kernel, uniformTensor(rng, [5], dtype, -5, 5), '/short');
    const inf = Number.NEGATIVE_INFINITY;
    const masked = hostTensor([3, 3], dtype, [inf, inf, inf, 1, inf, 2, 80, 90, 100]);
    pushSoftmaxCase(push, dtype, kernel, masked, '/masked');
  }
}
