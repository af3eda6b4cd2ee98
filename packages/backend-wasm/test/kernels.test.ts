/**
 * The wasm kernels against the cpu backend: chunked products, SIMD lanes and tails, special
 * values, every op.
 */
import { BINARY_OPS, REDUCE_OPS, sizeOf, UNARY_OPS } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import {
  backends,
  compareKernel,
  expectClose,
  type HostTensor,
  randomF32,
  randomI32,
  rng,
  runKernel,
} from './helpers.js';

const ODD = [1, 3, 17, 33];
const SPECIALS = [
  0,
  -0,
  1,
  -1,
  0.5,
  -2.5,
  3.7,
  1e-3,
  -1e-3,
  20,
  -20,
  90,
  -90,
  1e30,
  -1e30,
  NaN,
  Infinity,
  -Infinity,
  1e-40,
];

function withSpecials(t: HostTensor): HostTensor {
  const values = t.values.slice();
  for (let i = 0; i < Math.min(values.length, SPECIALS.length); i++) values[i] = SPECIALS[i];
  return { ...t, values };
}

describe('MatMul vs cpu', () => {
  const random = rng(1);
  it('rank 2, odd sizes, every transpose combination', async () => {
    for (const m of [1, 3, 4, 17, 33])
      for (const n of [1, 3, 8, 17, 33])
        for (const k of [1, 3, 17, 33])
          for (const tA of [false, true])
            for (const tB of [false, true]) {
              const a = randomF32(tA ? [k, m] : [m, k], random);
              const b = randomF32(tB ? [n, k] : [k, n], random);
              await compareKernel(
                'MatMul',
                { a, b },
                { transposeA: tA, transposeB: tB },
                { rtol: 1e-5, atol: 1e-6 },
                ` ${m}x${k}x${n} tA=${tA} tB=${tB}`,
              );
            }
  });

  it('batched rank 3 with batch-1 broadcast on either side', async () => {
    for (const [ba, bb] of [
      [3, 3],
      [1, 4],
      [4, 1],
      [1, 1],
    ])
      for (const tA of [false, true])
        for (const tB of [false, true]) {
          const [m, k, n] = [5, 17, 3];
          await compareKernel(
            'MatMul',
            {
              a: randomF32(tA ? [ba, k, m] : [ba, m, k], random),
              b: randomF32(tB ? [bb, n, k] : [bb, k, n], random),
            },
            { transposeA: tA, transposeB: tB },
            { rtol: 1e-5, atol: 1e-6 },
            ` batch ${ba}/${bb} tA=${tA} tB=${tB}`,
          );
        }
  });
});

describe('Unary vs cpu', () => {
  const random = rng(2);
  it('every op on float32 (odd lengths, special values)', async () => {
    for (const op of UNARY_OPS) {
      for (const n of [...ODD, 64]) {
        const lo = op === 'log' || op === 'sqrt' || op === 'rsqrt' ? 0 : -6;
        const x =
          n >= SPECIALS.length
            ? withSpecials(randomF32([n], random, lo, 6))
            : randomF32([n], random, lo, 6);
        // Vector exp/tanh/sigmoid are within a few ulp of the f64 reference.
        await compareKernel('Unary', { x }, { op }, { rtol: 4e-7, atol: 1e-30 }, ` ${op} n=${n}`);
      }
    }
  });

  it('every op on int32', async () => {
    for (const op of UNARY_OPS) {
      // exp beyond 2^31 wraps (ToInt32), where a 1-ulp difference between two libms shows.
      const x = randomI32([3, 7], random, -12, 12);
      await compareKernel('Unary', { x }, { op }, {}, ` ${op}`);
    }
  });

  it('relative accuracy of exp, tanh and sigmoid over a wide range', async () => {
    const values = new Float32Array(4001);
    for (let i = 0; i < values.length; i++) values[i] = -20 + i * 0.01;
    for (const op of ['exp', 'tanh', 'sigmoid'] as const) {
      const { wasm } = await backends();
      const x = { values, shape: [values.length], dtype: 'float32' as const };
      const { runKernel } = await import('./helpers.js');
      const y = runKernel(wasm, 'Unary', { x }, { op }).y.values;
      const f =
        op === 'exp' ? Math.exp : op === 'tanh' ? Math.tanh : (v: number) => 1 / (1 + Math.exp(-v));
      let worst = 0;
      for (let i = 0; i < values.length; i++) {
        const e = f(values[i]);
        if (e !== 0) worst = Math.max(worst, Math.abs(y[i] - e) / Math.abs(e));
      }
      expect(worst, op).toBeLessThan(5e-7);
    }
  });
});

describe('Binary vs cpu', () => {
  const random = rng(3);
  const SHAPES: [number[], number[], number[]][] = [
    [[17], [17], [17]],
    [
      [3, 5],
      [3, 5],
      [3, 5],
    ],
    [[3, 5], [5], [3, 5]],
    [
      [3, 5],
      [3, 1],
      [3, 5],
    ],
    [
      [1, 5],
      [3, 1],
      [3, 5],
    ],
    [[], [2, 3], [2, 3]],
    [[2, 3], [], [2, 3]],
    [[], [], []],
    [
      [2, 1, 4, 1],
      [3, 1, 5],
      [2, 3, 4, 5],
    ],
    [
      [4, 1, 33],
      [1, 6, 33],
      [4, 6, 33],
    ],
    [[0, 3], [3], [0, 3]],
  ];
  it('every op, float32, broadcasting', async () => {
    for (const op of BINARY_OPS)
      for (const [sa, sb, out] of SHAPES) {
        const a = randomF32(sa, random, -3, 3);
        const b = randomF32(sb, random, op === 'pow' ? 0.1 : -3, 3);
        // Make some elements equal so comparisons see ties.
        if (sizeOf(sa) === sizeOf(sb) && sizeOf(sa) > 2) a.values[1] = b.values[1];
        await compareKernel(
          'Binary',
          { a, b },
          { op, shape: out },
          { rtol: 1e-6 },
          ` ${op} ${sa}|${sb}`,
        );
      }
  });

  it('special values', async () => {
    const a = {
      values: Float32Array.from([...SPECIALS, 2]),
      shape: [20],
      dtype: 'float32' as const,
    };
    const b = {
      values: Float32Array.from([2, ...SPECIALS]),
      shape: [20],
      dtype: 'float32' as const,
    };
    for (const op of BINARY_OPS) {
      await compareKernel('Binary', { a, b }, { op, shape: [20] }, { rtol: 1e-6 }, ` ${op}`);
    }
  });

  it('every op, int32', async () => {
    for (const op of BINARY_OPS)
      for (const [sa, sb, out] of SHAPES.slice(0, 6)) {
        const a = randomI32(sa, random, -9, 9);
        const b = randomI32(sb, random, op === 'pow' ? 0 : -9, 9);
        await compareKernel('Binary', { a, b }, { op, shape: out }, {}, ` ${op} ${sa}|${sb}`);
      }
  });
});

describe('Cast vs cpu', () => {
  it('int32 -> float32 and int32 over a wide range', async () => {
    const xi = randomI32([5, 3], rng(4), -1e9, 1e9);
    await compareKernel('Cast', { x: xi }, { dtype: 'float32' });
    await compareKernel('Cast', { x: xi }, { dtype: 'int32' });
  });
});

describe('Reduce vs cpu', () => {
  const random = rng(5);
  const SHAPES = [[], [7], [3, 5], [2, 3, 4], [2, 1, 3, 5], [4, 0, 3], [33, 17]];
  function* subsets(rank: number): Generator<number[]> {
    for (let mask = 0; mask < 1 << rank; mask++) {
      const axes: number[] = [];
      for (let d = 0; d < rank; d++) if (mask & (1 << d)) axes.push(d);
      yield axes;
    }
  }
  it('every op, every axis subset, keepDims both ways', async () => {
    for (const op of REDUCE_OPS)
      for (const shape of SHAPES)
        for (const axes of subsets(shape.length))
          for (const keepDims of [false, true]) {
            await compareKernel(
              'Reduce',
              { x: randomF32(shape, random) },
              { op, axes, keepDims },
              { rtol: 1e-6 },
              ` ${op} [${shape}] axes ${axes}`,
            );
          }
  });

  it('int32', async () => {
    for (const op of REDUCE_OPS) {
      await compareKernel(
        'Reduce',
        { x: randomI32([4, 6], random, -100, 100) },
        { op, axes: [0], keepDims: false },
      );
      await compareKernel(
        'Reduce',
        { x: randomI32([4, 6], random, -100, 100) },
        { op, axes: [1], keepDims: true },
      );
    }
  });
});

describe('ArgMax, Softmax, LogSoftmax vs cpu', () => {
  const random = rng(6);
  it('ArgMax on every axis, ties and int32', async () => {
    for (const shape of [[7], [3, 5], [2, 3, 4], [1, 17, 3]])
      for (let axis = 0; axis < shape.length; axis++) {
        const x = randomF32(shape, random);
        x.values[0] = x.values[1];
        await compareKernel('ArgMax', { x }, { axis });
        await compareKernel('ArgMax', { x: randomI32(shape, random, 0, 3) }, { axis });
      }
  });

  it('Softmax and LogSoftmax on odd row lengths', async () => {
    for (const shape of [[], [1], [5], [3, 17], [2, 3, 33]]) {
      const x = randomF32(shape, random, -10, 10);
      await compareKernel('Softmax', { x }, {}, { rtol: 1e-6 }, ` [${shape}]`);
      await compareKernel('LogSoftmax', { x }, {}, { rtol: 1e-6, atol: 1e-6 }, ` [${shape}]`);
    }
  });
});

describe('indexing kernels vs cpu', () => {
  const random = rng(7);
  it('Gather and ScatterAdd on every axis with repeated indices', async () => {
    for (const shape of [[5], [4, 3], [2, 5, 3], [3, 1, 17]])
      for (let axis = 0; axis < shape.length; axis++)
        for (const idxShape of [[], [4], [2, 3]]) {
          const indices = randomI32(idxShape, random, 0, shape[axis]);
          for (const dtype of ['float32', 'int32'] as const) {
            const x =
              dtype === 'float32' ? randomF32(shape, random) : randomI32(shape, random, -9, 9);
            await compareKernel('Gather', { x, indices }, { axis });
            const gatheredShape = [...shape.slice(0, axis), ...idxShape, ...shape.slice(axis + 1)];
            const updates =
              dtype === 'float32'
                ? randomF32(gatheredShape, random)
                : randomI32(gatheredShape, random, -9, 9);
            await compareKernel(
              'ScatterAdd',
              { updates, indices },
              { axis, shape },
              { rtol: 1e-6 },
            );
          }
        }
  });

  it('OneHot with out-of-range indices', async () => {
    const indices = {
      values: Int32Array.from([0, 3, -1, 5, 2, 4]),
      shape: [2, 3],
      dtype: 'int32' as const,
    };
    for (const dtype of ['float32', 'int32'] as const) {
      await compareKernel('OneHot', { indices }, { depth: 5, dtype });
      await compareKernel('OneHot', { indices }, { depth: 0, dtype });
    }
  });
});

describe('layout kernels vs cpu', () => {
  const random = rng(8);
  const SHAPES = [[7], [3, 5], [2, 3, 4], [2, 1, 3, 5], [3, 0, 2]];
  it('Slice', async () => {
    for (const shape of SHAPES)
      for (let trial = 0; trial < 4; trial++) {
        const begin = shape.map((d) => Math.floor(random() * d));
        const size = shape.map((d, i) => Math.floor(random() * (d - begin[i] + 1)));
        await compareKernel('Slice', { x: randomF32(shape, random) }, { begin, size });
        await compareKernel('Slice', { x: randomI32(shape, random, -5, 5) }, { begin, size });
      }
  });

  it('Pad with zero and non-zero values', async () => {
    for (const shape of SHAPES)
      for (const value of [0, -1.5]) {
        const paddings = shape.map(
          () => [Math.floor(random() * 3), Math.floor(random() * 3)] as const,
        );
        await compareKernel('Pad', { x: randomF32(shape, random) }, { paddings, value });
        await compareKernel('Pad', { x: randomI32(shape, random, -5, 5) }, { paddings, value });
      }
  });

  it('Concat on every axis', async () => {
    for (const shape of SHAPES)
      for (let axis = 0; axis < shape.length; axis++) {
        const xs = [1, 0, 3].map((extent) =>
          randomF32(
            shape.map((d, i) => (i === axis ? extent : d)),
            random,
          ),
        );
        await compareKernel('Concat', { xs }, { axis });
        await compareKernel('Concat', { xs: [xs[2]] }, { axis });
      }
  });

  it('Transpose with every permutation', async () => {
    const perms = (n: number): number[][] =>
      n === 0
        ? [[]]
        : perms(n - 1).flatMap((p) =>
            Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]),
          );
    for (const shape of [...SHAPES, [33, 17]])
      for (const perm of perms(shape.length)) {
        await compareKernel('Transpose', { x: randomF32(shape, random) }, { perm });
      }
  });

  it('Reverse on axis subsets', async () => {
    for (const shape of SHAPES)
      for (let mask = 0; mask < 1 << shape.length; mask++) {
        const axes = shape.map((_, d) => d).filter((d) => mask & (1 << d));
        await compareKernel('Reverse', { x: randomF32(shape, random) }, { axes });
      }
  });
});

describe('AdamUpdate vs cpu', () => {
  const random = rng(11);
  // Both backends round every operation and every scalar coefficient to float32 in the
  // catalogue's order (IEEE f32x4 lanes here, Math.fround of float64 results of float32
  // operands there, which is the same correctly rounded value): bit for bit.
  const ADAM = {};
  const HYPER = [
    { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false },
    { lr: 1e-2, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1, decoupled: false },
    { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true },
  ];
  const state = (shape: number[]) => ({
    param: randomF32(shape, random),
    grad: randomF32(shape, random),
    m: randomF32(shape, random, -0.3, 0.3),
    v: randomF32(shape, random, 0, 0.3),
  });

  it('odd sizes, full f32x4 lanes and tails, Adam, Adam with L2 and AdamW, several steps', async () => {
    for (const n of [...ODD, 4, 8, 1027])
      for (const hyper of HYPER)
        for (const step of [1, 7, 1000]) {
          await compareKernel('AdamUpdate', state([n]), { ...hyper, step }, ADAM, ` n=${n}`);
        }
    await compareKernel('AdamUpdate', state([3, 17]), { ...HYPER[1], step: 3 }, ADAM, ' [3, 17]');
    await compareKernel('AdamUpdate', state([0, 3]), { ...HYPER[2], step: 1 }, ADAM, ' [0, 3]');
  });

  it('chains ten steps from zero moments like cpu', async () => {
    const { cpu, wasm } = await backends();
    const shape = [33];
    type State = { param: HostTensor; m: HostTensor; v: HostTensor };
    const zeros: HostTensor = { values: new Float32Array(33), shape, dtype: 'float32' };
    let [onCpu, onWasm] = [cpu, wasm].map(
      (): State => ({ param: randomF32(shape, rng(5)), m: zeros, v: zeros }),
    );
    for (let step = 1; step <= 10; step++) {
      const grad = randomF32(shape, random);
      const attrs = { ...HYPER[2], step };
      const next = (b: typeof cpu | typeof wasm, s: State): State => {
        const o = runKernel(b, 'AdamUpdate', { ...s, grad }, attrs);
        return { param: o.param, m: o.m, v: o.v };
      };
      onCpu = next(cpu, onCpu);
      onWasm = next(wasm, onWasm);
    }
    for (const k of ['param', 'm', 'v'] as const) {
      expectClose(onWasm[k], onCpu[k], ADAM, `AdamUpdate after 10 steps: ${k}`);
    }
  });

  it('propagates NaN, infinities, overflow, signed zeros and subnormals in the gradient like cpu', async () => {
    const n = SPECIALS.length + 5;
    const inputs = { ...state([n]), grad: withSpecials(randomF32([n], random)) };
    for (const hyper of HYPER) {
      await compareKernel('AdamUpdate', inputs, { ...hyper, step: 2 }, ADAM, ' specials');
    }
  });
});
