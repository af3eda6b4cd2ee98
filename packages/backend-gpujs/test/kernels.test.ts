/**
 * The gpujs kernels against the cpu backend, and the kernel cache (one compilation per shape and
 * attributes).
 */
import type { BinaryOp, ReduceOp, Shape, UnaryOp } from '@rnnkit/core';
import { BINARY_OPS, REDUCE_OPS, UNARY_OPS } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { compareWithCpu, gpuBackend, integers, rng, runKernel, size, uniform } from './helpers.js';

/**
 * Tolerances against the cpu backend (which computes in float64 and rounds each result to
 * float32): exact-arithmetic kernels (data movement, comparisons, add/sub/mul) must agree to the
 * last bit (0); one rounding more (division, sqrt) or a float32 dot product of up to 33 terms
 * stays within 1e-6 of the tensor's scale; transcendental functions (llvmpipe's exp/log, and
 * tanh/sigmoid/softplus built from them) within 2e-6.
 */
const EXACT = 0;
const ARITH = 1e-6;
const TRANSCENDENTAL = 2e-6;

const ODD_SHAPES: Shape[] = [[1], [3], [17], [33], [3, 17], [2, 3, 5]];

describe('MatMul', () => {
  const r = rng(1);
  it.each([
    [1, 1, 1],
    [3, 17, 5],
    [33, 3, 1],
    [17, 33, 3],
  ])('[%i x %i] @ [.. x %i] with every transpose', async (M, K, N) => {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        await compareWithCpu(
          'MatMul',
          {
            a: { values: uniform(r, M * K), shape: transposeA ? [K, M] : [M, K] },
            b: { values: uniform(r, K * N), shape: transposeB ? [N, K] : [K, N] },
          },
          { transposeA, transposeB },
          ARITH,
        );
      }
    }
  });

  it('batches rank-3 operands and broadcasts a batch of 1', async () => {
    await compareWithCpu(
      'MatMul',
      {
        a: { values: uniform(r, 3 * 5 * 4), shape: [3, 5, 4] },
        b: { values: uniform(r, 3 * 4 * 2), shape: [3, 4, 2] },
      },
      { transposeA: false, transposeB: false },
      ARITH,
    );
    await compareWithCpu(
      'MatMul',
      {
        a: { values: uniform(r, 5 * 4), shape: [1, 5, 4] },
        b: { values: uniform(r, 3 * 2 * 4), shape: [3, 2, 4] },
      },
      { transposeA: false, transposeB: true },
      ARITH,
    );
  });

  it('handles K = 0 (a zero matrix)', async () => {
    await compareWithCpu(
      'MatMul',
      { a: { values: [], shape: [3, 0] }, b: { values: [], shape: [0, 2] } },
      { transposeA: false, transposeB: false },
      EXACT,
    );
  });
});

const SPECIALS = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  0,
  -0.5,
  0.5,
  1e-6,
  -1e-6,
  1e-3,
  3,
  -3,
  50,
  -50,
  100,
  -100,
  -1,
  -2,
];

describe('Unary', () => {
  const r = rng(2);
  const ops = UNARY_OPS;
  it.each(ops.map((op) => [op]))('%s on float32: random values and special values', async (op) => {
    const tolerance = ['exp', 'log', 'log1p', 'tanh', 'sigmoid', 'softplus'].includes(op)
      ? TRANSCENDENTAL
      : ['neg', 'abs', 'sign', 'square', 'relu', 'step'].includes(op)
        ? EXACT
        : ARITH;
    const domain = ['log', 'sqrt', 'rsqrt'].includes(op) ? [0.01, 10] : [-4, 4];
    await compareWithCpu(
      'Unary',
      { x: { values: uniform(r, 3 * 17, domain[0], domain[1]), shape: [3, 17] } },
      { op },
      tolerance,
    );
    // Special values compared one by one, each relative to its own magnitude.
    const gpu = await gpuBackend();
    const { cpu } = await import('./helpers.js');
    const expected = runKernel(
      cpu,
      'Unary',
      { x: { values: SPECIALS, shape: [SPECIALS.length] } },
      { op },
    ).y.values;
    const actual = runKernel(
      gpu,
      'Unary',
      { x: { values: SPECIALS, shape: [SPECIALS.length] } },
      { op },
    ).y.values;
    expected.forEach((e, i) => {
      if (Number.isNaN(e) || !Number.isFinite(e))
        expect(actual[i], `${op}(${SPECIALS[i]})`).toBe(e);
      // Relative to the value itself; results below float32's normal range may flush to zero.
      else
        expect(
          Math.abs(actual[i] - e),
          `${op}(${SPECIALS[i]}) = ${actual[i]}, expected ${e}`,
        ).toBeLessThanOrEqual(TRANSCENDENTAL * Math.abs(e) + 1.2e-38);
    });
  });

  it('every op on int32 truncates like a typed-array store', async () => {
    for (const op of ops as readonly UnaryOp[]) {
      await compareWithCpu(
        'Unary',
        { x: { values: [-3, -2, -1, 0, 1, 2, 3, 5, -33], shape: [9], dtype: 'int32' } },
        { op },
        EXACT,
      );
    }
  });

  it.each(ODD_SHAPES.map((s) => [s]))('tanh on shape %j', async (shape) => {
    await compareWithCpu(
      'Unary',
      { x: { values: uniform(r, size(shape), -3, 3), shape } },
      { op: 'tanh' },
      TRANSCENDENTAL,
    );
  });
});

describe('Binary', () => {
  const r = rng(3);
  const patterns: [Shape, Shape, Shape][] = [
    [
      [3, 17],
      [3, 17],
      [3, 17],
    ],
    [[3, 17], [], [3, 17]],
    [[], [17], [17]],
    [
      [3, 1],
      [1, 17],
      [3, 17],
    ],
    [[33], [2, 1, 33], [2, 1, 33]],
    [[1], [1], [1]],
    [
      [2, 3, 1],
      [3, 5],
      [2, 3, 5],
    ],
  ];
  // Halves in [-2, 2]: ties, exact products, integer exponents and negative bases all occur.
  const halves = (n: number) => integers(r, n, -4, 5).map((v) => v / 2);
  it.each(BINARY_OPS.map((op) => [op]))(
    '%s on float32 over broadcast patterns',
    async (op: BinaryOp) => {
      const tolerance = op === 'pow' ? TRANSCENDENTAL : op === 'div' ? ARITH : EXACT;
      for (const [sa, sb, shape] of patterns) {
        const values = op === 'pow' ? (n: number) => uniform(r, n, 0.1, 2) : halves;
        await compareWithCpu(
          'Binary',
          {
            a: { values: values(size(sa)), shape: sa },
            b: { values: values(size(sb)), shape: sb },
          },
          { op, shape },
          tolerance,
        );
      }
      const s = [...SPECIALS, 0.5, 2];
      const t = [...SPECIALS.map((_, i) => SPECIALS[(i * 7) % SPECIALS.length]), -0.5, 3];
      await compareWithCpu(
        'Binary',
        { a: { values: s, shape: [s.length] }, b: { values: t, shape: [t.length] } },
        { op, shape: [s.length] },
        op === 'pow' ? TRANSCENDENTAL : ARITH,
      );
      // pow with negative bases and integer / fractional exponents.
      if (op === 'pow') {
        await compareWithCpu(
          'Binary',
          {
            a: { values: [-2, -2, -1.5, -3, 0, 0, 2], shape: [7] },
            b: { values: [2, 3, 0.5, -1, -1, 0, 0.5], shape: [7] },
          },
          { op, shape: [7] },
          TRANSCENDENTAL,
        );
      }
    },
  );

  it.each(BINARY_OPS.map((op) => [op]))(
    '%s on int32 (division truncates, by zero gives 0)',
    async (op: BinaryOp) => {
      const a = [7, -7, 7, -7, 0, 5, 16777, 3, -3, 2, 9, 1];
      const b = [2, 2, -2, -2, 3, 0, 7, 3, 3, 10, -3, 0];
      await compareWithCpu(
        'Binary',
        {
          a: { values: a, shape: [12], dtype: 'int32' },
          b: { values: b, shape: [12], dtype: 'int32' },
        },
        { op, shape: [12] },
        EXACT,
      );
      // int32 values stay exact within ±2^24 (float32 storage): |a| < 10, 0 <= b < 7 keeps pow there.
      await compareWithCpu(
        'Binary',
        {
          a: { values: integers(r, 3 * 17, -9, 10), shape: [3, 17], dtype: 'int32' },
          b: { values: integers(r, 17, 1, 7), shape: [17], dtype: 'int32' },
        },
        { op, shape: [3, 17] },
        EXACT,
      );
    },
  );
});

describe('Cast', () => {
  it('float32 -> int32 truncates toward zero; NaN and infinities give 0', async () => {
    const values = [
      -2.7,
      2.7,
      0.5,
      -0.5,
      1e6 + 0.5,
      -33,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ];
    await compareWithCpu(
      'Cast',
      { x: { values, shape: [values.length] } },
      { dtype: 'int32' },
      EXACT,
    );
  });
  it('int32 -> float32 and same-dtype casts keep values', async () => {
    await compareWithCpu(
      'Cast',
      { x: { values: [-3, 0, 17], shape: [3], dtype: 'int32' } },
      { dtype: 'float32' },
      EXACT,
    );
    await compareWithCpu(
      'Cast',
      { x: { values: [-3, 0, 17], shape: [3], dtype: 'int32' } },
      { dtype: 'int32' },
      EXACT,
    );
    await compareWithCpu(
      'Cast',
      { x: { values: [-3.5, 0, 17.25], shape: [3] } },
      { dtype: 'float32' },
      EXACT,
    );
  });
});

describe('Reduce', () => {
  const r = rng(4);
  const axesList = [[0], [1], [2], [0, 2], [1, 2], [0, 1, 2], []];
  it.each(REDUCE_OPS.map((op) => [op]))(
    '%s over every axis set of [3, 17, 5], with and without keepDims',
    async (op: ReduceOp) => {
      const values = uniform(r, 3 * 17 * 5);
      for (const axes of axesList) {
        for (const keepDims of [false, true]) {
          await compareWithCpu(
            'Reduce',
            { x: { values, shape: [3, 17, 5] } },
            { op, axes, keepDims },
            op === 'sum' ? ARITH : EXACT,
          );
        }
      }
    },
  );
  it('handles empty axes, NaN, int32 and odd sizes', async () => {
    for (const op of REDUCE_OPS) {
      await compareWithCpu(
        'Reduce',
        { x: { values: [], shape: [3, 0, 2] } },
        { op, axes: [1], keepDims: false },
        EXACT,
      );
      await compareWithCpu(
        'Reduce',
        { x: { values: [1, Number.NaN, 3, -1, 4, 2], shape: [2, 3] } },
        { op, axes: [1], keepDims: true },
        EXACT,
      );
      await compareWithCpu(
        'Reduce',
        { x: { values: integers(r, 33, -9, 9), shape: [33], dtype: 'int32' } },
        { op, axes: [0], keepDims: false },
        EXACT,
      );
      await compareWithCpu(
        'Reduce',
        { x: { values: uniform(r, 1), shape: [1, 1] } },
        { op, axes: [0, 1], keepDims: false },
        EXACT,
      );
    }
  });
});

describe('ArgMax', () => {
  const r = rng(5);
  it('finds the first maximum on every axis, with ties and NaN', async () => {
    const ties = integers(r, 33 * 17, 0, 4);
    await compareWithCpu('ArgMax', { x: { values: ties, shape: [33, 17] } }, { axis: 0 }, EXACT);
    await compareWithCpu('ArgMax', { x: { values: ties, shape: [33, 17] } }, { axis: 1 }, EXACT);
    await compareWithCpu(
      'ArgMax',
      { x: { values: uniform(r, 15), shape: [3, 1, 5] } },
      { axis: 1 },
      EXACT,
    );
    await compareWithCpu(
      'ArgMax',
      { x: { values: [1, Number.NaN, 3, Number.NaN, 0, 9], shape: [2, 3] } },
      { axis: 1 },
      EXACT,
    );
    await compareWithCpu('ArgMax', { x: { values: [2], shape: [1] } }, { axis: 0 }, EXACT);
    await compareWithCpu(
      'ArgMax',
      { x: { values: integers(r, 17, -5, 5), shape: [17], dtype: 'int32' } },
      { axis: 0 },
      EXACT,
    );
  });
});

describe('Softmax and LogSoftmax', () => {
  const r = rng(6);
  it.each([['Softmax'], ['LogSoftmax']] as const)('%s along the last axis', async (name) => {
    for (const shape of [[3, 17], [33], [1, 1], [2, 3, 5]] as Shape[]) {
      await compareWithCpu(
        name,
        { x: { values: uniform(r, size(shape), -5, 5), shape } },
        {},
        TRANSCENDENTAL,
      );
    }
    const inf = Number.NEGATIVE_INFINITY;
    await compareWithCpu(
      name,
      { x: { values: [inf, inf, inf, 1, inf, 2, 80, 90, 100], shape: [3, 3] } },
      {},
      TRANSCENDENTAL,
    );
  });
});

describe('Gather, ScatterAdd, OneHot', () => {
  const r = rng(7);
  it('gathers along each axis, with nested indices and int32 data', async () => {
    await compareWithCpu(
      'Gather',
      {
        x: { values: uniform(r, 17 * 3), shape: [17, 3] },
        indices: { values: [0, 16, 3, 3, 5], shape: [5], dtype: 'int32' },
      },
      { axis: 0 },
      EXACT,
    );
    await compareWithCpu(
      'Gather',
      {
        x: { values: uniform(r, 30), shape: [3, 5, 2] },
        indices: { values: [4, 0, 1, 4, 2, 2], shape: [2, 3], dtype: 'int32' },
      },
      { axis: 1 },
      EXACT,
    );
    await compareWithCpu(
      'Gather',
      {
        x: { values: integers(r, 33, -9, 9), shape: [33], dtype: 'int32' },
        indices: { values: [32], shape: [1], dtype: 'int32' },
      },
      { axis: 0 },
      EXACT,
    );
  });
  it('scatter-adds with repeated indices', async () => {
    await compareWithCpu(
      'ScatterAdd',
      {
        updates: { values: uniform(r, 5 * 3), shape: [5, 3] },
        indices: { values: [0, 16, 3, 3, 0], shape: [5], dtype: 'int32' },
      },
      { axis: 0, shape: [17, 3] },
      ARITH,
    );
    await compareWithCpu(
      'ScatterAdd',
      {
        updates: { values: uniform(r, 3 * 6 * 2), shape: [3, 2, 3, 2] },
        indices: { values: [4, 0, 1, 4, 4, 2], shape: [2, 3], dtype: 'int32' },
      },
      { axis: 1, shape: [3, 5, 2] },
      ARITH,
    );
  });
  it('one-hot encodes, out-of-range indices giving zero rows', async () => {
    await compareWithCpu(
      'OneHot',
      { indices: { values: [-1, 0, 3, 16, 17], shape: [5], dtype: 'int32' } },
      { depth: 17, dtype: 'float32' },
      EXACT,
    );
    await compareWithCpu(
      'OneHot',
      { indices: { values: [2, 0, 1, 2], shape: [2, 2], dtype: 'int32' } },
      { depth: 3, dtype: 'int32' },
      EXACT,
    );
  });
});

describe('Slice, Pad, Concat, Transpose, Reverse', () => {
  const r = rng(8);
  const x = uniform(r, 3 * 17 * 5);
  it('slices blocks', async () => {
    await compareWithCpu(
      'Slice',
      { x: { values: x, shape: [3, 17, 5] } },
      { begin: [1, 2, 0], size: [2, 13, 5] },
      EXACT,
    );
    await compareWithCpu(
      'Slice',
      { x: { values: x, shape: [3, 17, 5] } },
      { begin: [0, 16, 4], size: [3, 1, 1] },
      EXACT,
    );
    await compareWithCpu(
      'Slice',
      { x: { values: x, shape: [3, 17, 5] } },
      { begin: [0, 3, 0], size: [3, 0, 5] },
      EXACT,
    );
  });
  it('pads with a value', async () => {
    await compareWithCpu(
      'Pad',
      { x: { values: x, shape: [3, 17, 5] } },
      {
        paddings: [
          [1, 0],
          [0, 2],
          [3, 1],
        ],
        value: 0,
      },
      EXACT,
    );
    await compareWithCpu(
      'Pad',
      { x: { values: [1, 2, 3], shape: [3] } },
      { paddings: [[2, 1]], value: -2.5 },
      EXACT,
    );
    await compareWithCpu(
      'Pad',
      { x: { values: [], shape: [0, 2] } },
      {
        paddings: [
          [1, 1],
          [0, 0],
        ],
        value: 7,
      },
      EXACT,
    );
  });
  it('concatenates along every axis, more inputs than one pass takes, and empty inputs', async () => {
    for (const axis of [0, 1, 2]) {
      const shapes: Shape[] = [
        [3, 17, 5],
        [3, 17, 5],
        [3, 17, 5],
      ].map((s) => s.map((d, i) => (i === axis ? [1, 3, 2][i] : d)));
      await compareWithCpu(
        'Concat',
        { xs: shapes.map((shape) => ({ values: uniform(r, size(shape)), shape })) },
        { axis },
        EXACT,
      );
    }
    const many: Shape[] = Array.from({ length: 19 }, (_, i) => [2, (i % 3) + (i === 4 ? -1 : 0)]);
    await compareWithCpu(
      'Concat',
      { xs: many.map((shape) => ({ values: uniform(r, size(shape)), shape })) },
      { axis: 1 },
      EXACT,
    );
    await compareWithCpu('Concat', { xs: [{ values: [1, 2], shape: [2] }] }, { axis: 0 }, EXACT);
  });
  it('transposes', async () => {
    for (const perm of [
      [2, 0, 1],
      [1, 0, 2],
      [0, 1, 2],
      [2, 1, 0],
    ]) {
      await compareWithCpu('Transpose', { x: { values: x, shape: [3, 17, 5] } }, { perm }, EXACT);
    }
    await compareWithCpu(
      'Transpose',
      { x: { values: integers(r, 33, 0, 9), shape: [33, 1], dtype: 'int32' } },
      { perm: [1, 0] },
      EXACT,
    );
  });
  it('reverses', async () => {
    for (const axes of [[0], [1, 2], [], [0, 1, 2]]) {
      await compareWithCpu('Reverse', { x: { values: x, shape: [3, 17, 5] } }, { axes }, EXACT);
    }
  });
});

describe('AdamUpdate', () => {
  const r = rng(13);
  // Both round every operation to float32 in the same order, but GLSL only promises division
  // and square roots to a few ulps (llvmpipe happens to round them correctly): the conformance
  // suite's derivation applies, at most 28 float32 roundings (u = 2^-24) on the way to the
  // parameter, each relative to terms no larger than the tensor's scale in these domains, from
  // two implementations: 2·28·u ≈ 3.3e-6.
  const ADAM = 2 * 28 * 2 ** -24;
  const HYPER = [
    { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false },
    { lr: 1e-2, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1, decoupled: false },
    { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true },
  ];
  const state = (shape: Shape) => {
    const n = size(shape);
    return {
      param: { values: uniform(r, n), shape },
      grad: { values: uniform(r, n), shape },
      m: { values: uniform(r, n, -0.3, 0.3), shape },
      v: { values: uniform(r, n, 0, 0.3), shape },
    };
  };

  it('Adam, Adam with L2 and AdamW on odd shapes at several steps', async () => {
    for (const shape of ODD_SHAPES)
      for (const hyper of HYPER)
        for (const step of [1, 7, 1000]) {
          await compareWithCpu('AdamUpdate', state(shape), { ...hyper, step }, ADAM);
        }
    await compareWithCpu('AdamUpdate', state([0, 3]), { ...HYPER[0], step: 1 }, EXACT);
  });

  it('compiles once per variant: the learning rate and step are uniforms', async () => {
    const gpu = await gpuBackend();
    const inputs = state([5]);
    runKernel(gpu, 'AdamUpdate', inputs, { ...HYPER[2], step: 1 });
    const before = gpu.memory().cachedKernels;
    for (const [lr, step] of [
      [0.5, 2],
      [1e-4, 1000],
    ]) {
      runKernel(gpu, 'AdamUpdate', inputs, { ...HYPER[2], lr, step });
    }
    expect(gpu.memory().cachedKernels).toBe(before);
  });
});

describe('kernel cache', () => {
  it('compiles a kernel once per shape and attributes', async () => {
    const gpu = await gpuBackend();
    const inputs = { x: { values: [1, 2, 3], shape: [3] } };
    runKernel(gpu, 'Unary', inputs, { op: 'exp' });
    const before = gpu.memory().cachedKernels;
    runKernel(gpu, 'Unary', inputs, { op: 'exp' });
    expect(gpu.memory().cachedKernels).toBe(before);
    runKernel(gpu, 'Unary', inputs, { op: 'log' });
    expect(gpu.memory().cachedKernels).toBe((before as number) + 1);
  });
});
