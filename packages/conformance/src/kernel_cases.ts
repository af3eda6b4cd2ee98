/**
 * Kernel-level conformance: every kernel of the catalogue on random inputs of odd sizes
 * (1, 3, 17, 33 and zero-size edge cases), run directly through the backend's kernel table with
 * identical host inputs uploaded to each backend. A backend other than cpu is compared with the
 * cpu backend's kernel; cpu itself is compared with the host oracle (`oracle.ts`) and, for the
 * fused recurrent kernels, with core's composed `rnnSequenceReference`.
 */
import type {
  AdamAttrs,
  Backend,
  BinaryOp,
  DType,
  KernelName,
  RnnMode,
  Shape,
  Tensor,
  TensorInfo,
  UnaryOp,
} from '@rnnkit/core';
import {
  add,
  BINARY_OPS,
  dispose,
  ENGINE,
  GATES_PER_MODE,
  mul,
  type Random,
  rnnSequenceReference,
  sizeOf,
  sum,
  tensor,
  UNARY_OPS,
} from '@rnnkit/core';
import { checkTensor, formatError } from './compare.js';
import {
  awayFromZeroTensor,
  type HostTensor,
  hostTensor,
  intTensor,
  rngFor,
  shapeText,
  uniformTensor,
} from './host.js';
import {
  oracleAdamUpdate,
  oracleArgMax,
  oracleBinary,
  oracleCast,
  oracleConcat,
  oracleGather,
  oracleMatMul,
  oracleOneHot,
  oraclePad,
  oracleReduce,
  oracleReverse,
  oracleScatterAdd,
  oracleSlice,
  oracleSoftmax,
  oracleTranspose,
  oracleUnary,
} from './oracle.js';
import { kernelTolerance, rnnKernelTolerance, TOLERANCES, type Tolerances } from './tolerances.js';

/** Host inputs of one kernel call. */
export type HostInputs = Record<string, HostTensor | HostTensor[] | undefined>;

/** An expected output with the tolerance it is held to. */
export interface ExpectedOutput {
  /** Expected values. */
  tensor: HostTensor;
  /** Tolerance (scale-relative, see `compareValues`). */
  tolerance: number;
  /** Error scale override (e.g. `max(|A|@|B|)` for a matrix product). */
  scale?: number;
}

/** One call of a non-recurrent kernel. */
export interface KernelCase {
  /** Stable id: `kernel/<Kernel>/<dtype>/<details>`; exclusions match it by prefix. */
  id: string;
  /** The kernel. */
  kernel: Exclude<KernelName, 'RnnForward' | 'RnnBackward'>;
  /** Every dtype the call involves (the backend must support all of them). */
  dtypes: DType[];
  /** Inputs. */
  inputs: HostInputs;
  /** Attributes. */
  attrs: Record<string, unknown>;
  /** The hand results and tolerances, by output name. */
  oracle: (tol: Tolerances) => Record<string, ExpectedOutput>;
  /** Tolerance by output name when comparing with another backend's kernel (same derivation as the oracle's). */
  tolerance: (tol: Tolerances) => Record<string, { tolerance: number; scale?: number }>;
}

/** One call of a fused recurrent kernel (forward, or forward then backward). */
export interface RnnCase {
  /** Stable id: `kernel/RnnForward/<dtype>/<mode>/...`. */
  id: string;
  /** `RnnForward` checks `y`, `hN`, `cN` with `training` false and true; `RnnBackward` checks every gradient. */
  kernel: 'RnnForward' | 'RnnBackward';
  /** Float dtype. */
  dtype: 'float32' | 'float64';
  /** Cell type. */
  mode: RnnMode;
  /** Run backwards in time. */
  reverse: boolean;
  /** Sizes. */
  sizes: { B: number; T: number; I: number; H: number };
  /** Inputs `x, wIh, wHh, bIh, bHh, h0, c0?, lengths?` and cotangents `dy, dhN, dcN?`. */
  inputs: Record<string, HostTensor | undefined>;
}

/** Any kernel-level case. */
export type AnyKernelCase = KernelCase | RnnCase;

/** Result of one kernel-level case. */
export interface KernelCaseResult {
  /** The case id. */
  id: string;
  /** True when every output matched. */
  ok: boolean;
  /** Largest error over the outputs. */
  error: number;
  /** Failure explanation. */
  message?: string;
}

const FLOATS = ['float32', 'float64'] as const;

type Domain = (rng: Random, shape: Shape, dtype: DType) => HostTensor;
const uniform =
  (low: number, high: number): Domain =>
  (rng, shape, dtype) =>
    uniformTensor(rng, shape, dtype, low, high);
const withZeros =
  (low: number, high: number): Domain =>
  (rng, shape, dtype) => {
    const t = uniformTensor(rng, shape, dtype, low, high);
    for (let i = 0; i < t.values.length; i += 5) t.values[i] = 0;
    return t;
  };
const withExtremes =
  (low: number, high: number, extreme: number): Domain =>
  (rng, shape, dtype) => {
    const t = uniformTensor(rng, shape, dtype, low, high);
    if (t.values.length >= 3) {
      t.values[1] = extreme;
      t.values[2] = -extreme;
    }
    return t;
  };
/** Values on a coarse grid (multiples of 1/4 in [-2, 2]) so that equal values and ties occur. */
const grid: Domain = (rng, shape, dtype) => {
  const n = sizeOf(shape);
  return hostTensor(
    shape,
    dtype,
    Array.from({ length: n }, () => (rng.int(17) - 8) / 4),
  );
};

const UNARY_DOMAIN: Record<UnaryOp, Domain> = {
  neg: withZeros(-3, 3),
  abs: withZeros(-3, 3),
  sign: withZeros(-3, 3),
  exp: uniform(-5, 5),
  log: uniform(0.1, 3),
  log1p: uniform(-0.9, 3),
  sqrt: withZeros(0.1, 3),
  rsqrt: uniform(0.1, 3),
  square: uniform(-3, 3),
  reciprocal: (rng, shape, dtype) => awayFromZeroTensor(rng, shape, dtype, 0.25, 3),
  tanh: withExtremes(-4, 4, 30),
  sigmoid: withExtremes(-8, 8, 60),
  relu: withZeros(-3, 3),
  step: withZeros(-3, 3),
  softplus: withExtremes(-8, 8, 60),
};

/**
 * Rounded operations behind one element of each unary op (the transcendental ulps are added
 * from the tolerances): 0 for exact ops, 1 for one correctly rounded operation.
 */
function unaryRoundings(op: UnaryOp, tol: Tolerances): number {
  const t = tol.transcendentalUlps;
  switch (op) {
    case 'neg':
    case 'abs':
    case 'sign':
    case 'relu':
    case 'step':
      return 0;
    case 'square':
    case 'sqrt':
    case 'reciprocal':
      return 1;
    case 'rsqrt':
      return 2;
    case 'exp':
    case 'log':
    case 'log1p':
    case 'tanh':
      return 1 + t;
    case 'sigmoid':
    case 'softplus':
      return 3 + t;
    default:
      return 1 + t;
  }
}

function binaryRoundings(op: BinaryOp, tol: Tolerances): number {
  if (op === 'pow') return 1 + 2 * tol.transcendentalUlps;
  if (op === 'add' || op === 'sub' || op === 'mul' || op === 'div') return 1;
  return 0;
}

const BINARY_SHAPES: [Shape, Shape][] = [
  [
    [17, 3],
    [17, 3],
  ],
  [
    [3, 1],
    [1, 17],
  ],
  [[33], []],
  [[], [33]],
  [[1, 3, 17], [17]],
  [
    [3, 17, 1],
    [3, 1, 33],
  ],
];

function binaryInputs(
  op: BinaryOp,
  rng: Random,
  sa: Shape,
  sb: Shape,
  dtype: DType,
): [HostTensor, HostTensor] {
  if (dtype === 'int32') return [intTensor(rng, sa, -20, 21), intTensor(rng, sb, -20, 21)];
  switch (op) {
    case 'div':
      return [uniformTensor(rng, sa, dtype, -3, 3), awayFromZeroTensor(rng, sb, dtype, 0.5, 3)];
    case 'pow':
      return [uniformTensor(rng, sa, dtype, 0.5, 2), uniformTensor(rng, sb, dtype, -2, 2)];
    case 'add':
    case 'sub':
    case 'mul':
      return [uniformTensor(rng, sa, dtype, -3, 3), uniformTensor(rng, sb, dtype, -3, 3)];
    default:
      return [grid(rng, sa, dtype), grid(rng, sb, dtype)];
  }
}

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
const ADAM_ROUNDINGS = { m: 10, v: 14, param: 28 } as const;

const exact =
  (outputs: string[] = ['y']) =>
  () =>
    Object.fromEntries(outputs.map((o) => [o, { tolerance: 0 }]));

/**
 * Every non-recurrent kernel case, for both float dtypes and int32 where the catalogue allows
 * it, generated deterministically from `seed`.
 */
export function kernelCases(seed = 1234): KernelCase[] {
  const rng = rngFor(seed);
  const cases: KernelCase[] = [];
  const push = (c: KernelCase) => cases.push(c);

  for (const dtype of FLOATS) {
    // ---- MatMul: rank 2 over odd sizes and all transposes; rank 3 with batch broadcasting.
    const dims: [number, number, number][] = [
      [1, 1, 1],
      [3, 17, 1],
      [1, 33, 3],
      [17, 3, 33],
      [33, 17, 17],
      [3, 33, 1],
    ];
    const matmulCase = (
      batchA: number | undefined,
      batchB: number | undefined,
      [M, K, N]: number[],
      tA: boolean,
      tB: boolean,
    ) => {
      const sa = [...(batchA ? [batchA] : []), ...(tA ? [K, M] : [M, K])];
      const sb = [...(batchB ? [batchB] : []), ...(tB ? [N, K] : [K, N])];
      const a = uniformTensor(rng, sa, dtype);
      const b = uniformTensor(rng, sb, dtype);
      const attrs = { transposeA: tA, transposeB: tB };
      const tolFor = () => kernelTolerance(dtype, K, 1);
      const scale = () => Math.max(1, ...oracleMatMul(a, b, attrs).absScale);
      push({
        id: `kernel/MatMul/${dtype}/${shapeText(sa)}x${shapeText(sb)}/tA=${tA},tB=${tB}`,
        kernel: 'MatMul',
        dtypes: [dtype],
        inputs: { a, b },
        attrs,
        oracle: () => ({
          y: { tensor: oracleMatMul(a, b, attrs).y, tolerance: tolFor(), scale: scale() },
        }),
        tolerance: () => ({ y: { tolerance: tolFor(), scale: scale() } }),
      });
    };
    for (const d of dims)
      for (const tA of [false, true])
        for (const tB of [false, true]) matmulCase(undefined, undefined, d, tA, tB);
    for (const [ba, bb] of [
      [3, 3],
      [1, 3],
      [3, 1],
    ]) {
      matmulCase(ba, bb, [17, 3, 33], false, false);
      matmulCase(ba, bb, [3, 33, 17], true, true);
    }

    // ---- Unary: every op on a matrix, a single element and a scalar.
    for (const op of UNARY_OPS) {
      for (const shape of [[17, 3], [1], []] as Shape[]) {
        const x = UNARY_DOMAIN[op](rng, shape, dtype);
        const t = (tol: Tolerances) => kernelTolerance(dtype, 0, unaryRoundings(op, tol));
        push({
          id: `kernel/Unary/${dtype}/${op}/${shapeText(shape)}`,
          kernel: 'Unary',
          dtypes: [dtype],
          inputs: { x },
          attrs: { op },
          oracle: (tol) => ({ y: { tensor: oracleUnary(x, op), tolerance: t(tol) } }),
          tolerance: (tol) => ({ y: { tolerance: t(tol) } }),
        });
      }
    }

    // ---- Binary: every op over broadcasting patterns.
    for (const op of BINARY_OPS) {
      for (const [sa, sb] of BINARY_SHAPES) {
        const [a, b] = binaryInputs(op, rng, sa, sb, dtype);
        const shape = broadcast(sa, sb);
        const t = (tol: Tolerances) => kernelTolerance(dtype, 0, binaryRoundings(op, tol));
        push({
          id: `kernel/Binary/${dtype}/${op}/${shapeText(sa)}x${shapeText(sb)}`,
          kernel: 'Binary',
          dtypes: [dtype],
          inputs: { a, b },
          attrs: { op, shape },
          oracle: (tol) => ({ y: { tensor: oracleBinary(a, b, op, shape), tolerance: t(tol) } }),
          tolerance: (tol) => ({ y: { tolerance: t(tol) } }),
        });
      }
    }

    // ---- Cast: to the other float dtype and to int32 (truncation toward zero).
    const other = dtype === 'float32' ? 'float64' : 'float32';
    for (const to of [other, 'int32'] as DType[]) {
      for (const shape of [[17, 3], [1]] as Shape[]) {
        const x = uniformTensor(rng, shape, dtype, -10, 10);
        push({
          id: `kernel/Cast/${dtype}/to-${to}/${shapeText(shape)}`,
          kernel: 'Cast',
          dtypes: [dtype, to],
          inputs: { x },
          attrs: { dtype: to },
          oracle: () => ({ y: { tensor: oracleCast(x, to), tolerance: 0 } }),
          tolerance: exact(),
        });
      }
    }
    {
      const x = intTensor(rng, [3, 17], -1000, 1000);
      push({
        id: `kernel/Cast/int32/to-${dtype}/[3, 17]`,
        kernel: 'Cast',
        dtypes: ['int32', dtype],
        inputs: { x },
        attrs: { dtype },
        oracle: () => ({ y: { tensor: oracleCast(x, dtype), tolerance: 0 } }),
        tolerance: exact(),
      });
    }

    // ---- Reduce: every op over every axis subset of a rank-3 tensor, keepDims both ways, plus
    // rank 1, a single element and an empty axis (max/min give -Infinity/+Infinity there).
    const reduceCase = (
      x: HostTensor,
      op: 'sum' | 'max' | 'min',
      axes: number[],
      keepDims: boolean,
    ) => {
      const attrs = { op, axes, keepDims };
      const terms = axes.reduce((n, a) => n * x.shape[a], 1);
      const absX = hostTensor(x.shape, 'float64', Array.from(x.values, Math.abs));
      const scale = () =>
        op === 'sum' ? Math.max(1, ...oracleReduce(absX, attrs).values) : undefined;
      const t = () => (op === 'sum' ? kernelTolerance(dtype, terms, 0) : 0);
      push({
        id: `kernel/Reduce/${dtype}/${op}/${shapeText(x.shape)}/axes=${shapeText(axes)}${keepDims ? '/keepDims' : ''}`,
        kernel: 'Reduce',
        dtypes: [dtype],
        inputs: { x },
        attrs,
        oracle: () => ({ y: { tensor: oracleReduce(x, attrs), tolerance: t(), scale: scale() } }),
        tolerance: () => ({ y: { tolerance: t(), scale: scale() } }),
      });
    };
    const r3 = uniformTensor(rng, [3, 17, 33], dtype);
    for (const op of ['sum', 'max', 'min'] as const) {
      for (const axes of [[], [0], [1], [2], [0, 2], [1, 2], [0, 1, 2]]) {
        for (const keepDims of [false, true]) reduceCase(r3, op, axes, keepDims);
      }
      reduceCase(uniformTensor(rng, [33], dtype), op, [0], false);
      reduceCase(uniformTensor(rng, [1], dtype), op, [0], true);
      reduceCase(hostTensor([3, 0], dtype, []), op, [1], false);
    }

    // ---- ArgMax: every axis; ties resolved to the first index.
    const argMaxCase = (x: HostTensor, axis: number, label = '') =>
      push({
        id: `kernel/ArgMax/${dtype}/${shapeText(x.shape)}/axis=${axis}${label}`,
        kernel: 'ArgMax',
        dtypes: [dtype, 'int32'],
        inputs: { x },
        attrs: { axis },
        oracle: () => ({ y: { tensor: oracleArgMax(x, axis), tolerance: 0 } }),
        tolerance: exact(),
      });
    for (const axis of [0, 1, 2]) argMaxCase(r3, axis);
    argMaxCase(uniformTensor(rng, [33], dtype), 0);
    argMaxCase(uniformTensor(rng, [1], dtype), 0);
    argMaxCase(grid(rng, [17, 3], dtype), 1, '/ties');
    argMaxCase(grid(rng, [17, 33], dtype), 0, '/ties');

    // ---- Softmax / LogSoftmax along the last axis, including large logits (stability).
    for (const kernel of ['Softmax', 'LogSoftmax'] as const) {
      for (const [shape, range] of [
        [[33], 3],
        [[3, 17], 3],
        [[17, 3], 3],
        [[2, 3, 33], 3],
        [[1], 3],
        [[3, 17], 60],
      ] as [Shape, number][]) {
        const x = uniformTensor(rng, shape, dtype, -range, range);
        const n = shape[shape.length - 1];
        const t = (tol: Tolerances) => kernelTolerance(dtype, n, 4 + 2 * tol.transcendentalUlps);
        push({
          id: `kernel/${kernel}/${dtype}/${shapeText(shape)}/range=${range}`,
          kernel,
          dtypes: [dtype],
          inputs: { x },
          attrs: {},
          oracle: (tol) => ({
            y: { tensor: oracleSoftmax(x, kernel === 'LogSoftmax'), tolerance: t(tol) },
          }),
          tolerance: (tol) => ({ y: { tolerance: t(tol) } }),
        });
      }
    }

    // ---- Gather and its adjoint ScatterAdd (repeated indices accumulate).
    const gathers: [Shape, number, HostTensor][] = [
      [[17, 3], 0, hostTensor([6], 'int32', [16, 0, 3, 3, 7, 16])],
      [[3, 17, 4], 1, intTensor(rng, [2, 3], 0, 17)],
      [[33], 0, hostTensor([], 'int32', [32])],
      [[3, 1], 1, hostTensor([4], 'int32', [0, 0, 0, 0])],
      [[5, 33], 0, intTensor(rng, [17], 0, 5)],
    ];
    for (const [shape, axis, indices] of gathers) {
      const x = uniformTensor(rng, shape, dtype);
      push({
        id: `kernel/Gather/${dtype}/${shapeText(shape)}/axis=${axis}/indices=${shapeText(indices.shape)}`,
        kernel: 'Gather',
        dtypes: [dtype, 'int32'],
        inputs: { x, indices },
        attrs: { axis },
        oracle: () => ({ y: { tensor: oracleGather(x, indices, axis), tolerance: 0 } }),
        tolerance: exact(),
      });
      const upShape = [...shape.slice(0, axis), ...indices.shape, ...shape.slice(axis + 1)];
      const updates = uniformTensor(rng, upShape, dtype);
      const counts = new Map<number, number>();
      for (const k of indices.values) counts.set(k, (counts.get(k) ?? 0) + 1);
      const terms = Math.max(1, ...counts.values());
      const absUpdates = hostTensor(upShape, 'float64', Array.from(updates.values, Math.abs));
      const scale = () => Math.max(1, ...oracleScatterAdd(absUpdates, indices, axis, shape).values);
      push({
        id: `kernel/ScatterAdd/${dtype}/${shapeText(shape)}/axis=${axis}/indices=${shapeText(indices.shape)}`,
        kernel: 'ScatterAdd',
        dtypes: [dtype, 'int32'],
        inputs: { updates, indices },
        attrs: { axis, shape },
        oracle: () => ({
          y: {
            tensor: oracleScatterAdd(updates, indices, axis, shape),
            tolerance: kernelTolerance(dtype, terms, 0),
            scale: scale(),
          },
        }),
        tolerance: () => ({ y: { tolerance: kernelTolerance(dtype, terms, 0), scale: scale() } }),
      });
    }

    // ---- OneHot, with out-of-range indices (zero rows).
    for (const [indices, depth] of [
      [
        hostTensor(
          [17],
          'int32',
          Array.from({ length: 17 }, (_, i) => (i % 7) - 1),
        ),
        5,
      ],
      [intTensor(rng, [3, 4], 0, 1), 1],
      [intTensor(rng, [3], 0, 33), 33],
    ] as [HostTensor, number][]) {
      push({
        id: `kernel/OneHot/${dtype}/${shapeText(indices.shape)}/depth=${depth}`,
        kernel: 'OneHot',
        dtypes: [dtype, 'int32'],
        inputs: { indices },
        attrs: { depth, dtype },
        oracle: () => ({ y: { tensor: oracleOneHot(indices, depth, dtype), tolerance: 0 } }),
        tolerance: exact(),
      });
    }

    // ---- Slice: random blocks of ranks 1 to 4, and an empty block.
    const sliceCase = (shape: Shape, begin: number[], size: number[]) => {
      const x = uniformTensor(rng, shape, dtype);
      push({
        id: `kernel/Slice/${dtype}/${shapeText(shape)}/begin=${shapeText(begin)}/size=${shapeText(size)}`,
        kernel: 'Slice',
        dtypes: [dtype],
        inputs: { x },
        attrs: { begin, size },
        oracle: () => ({ y: { tensor: oracleSlice(x, begin, size), tolerance: 0 } }),
        tolerance: exact(),
      });
    };
    for (const shape of [[33], [3, 17], [3, 17, 33], [1, 3, 17, 3]] as Shape[]) {
      const begin = shape.map((d) => rng.int(d));
      const size = shape.map((d, i) => 1 + rng.int(d - begin[i]));
      sliceCase(shape, begin, size);
    }
    sliceCase([3, 17, 33], [0, 0, 0], [3, 17, 33]);
    sliceCase([3, 17], [1, 5], [2, 0]);

    // ---- Pad with zero and non-zero values.
    for (const [shape, paddings, value] of [
      [
        [3, 17],
        [
          [1, 2],
          [0, 3],
        ],
        0,
      ],
      [[33], [[3, 0]], 1.5],
      [
        [3, 1, 17],
        [
          [0, 0],
          [2, 2],
          [1, 0],
        ],
        -2,
      ],
      [[1], [[0, 0]], 0],
    ] as [Shape, [number, number][], number][]) {
      const x = uniformTensor(rng, shape, dtype);
      push({
        id: `kernel/Pad/${dtype}/${shapeText(shape)}/paddings=${JSON.stringify(paddings)}/value=${value}`,
        kernel: 'Pad',
        dtypes: [dtype],
        inputs: { x },
        attrs: { paddings, value },
        oracle: () => ({ y: { tensor: oraclePad(x, paddings, value), tolerance: 0 } }),
        tolerance: exact(),
      });
    }

    // ---- Concat of 1 to 3 inputs along each axis.
    for (const [shapes, axis] of [
      [
        [
          [3, 17],
          [1, 17],
        ],
        0,
      ],
      [
        [
          [3, 1],
          [3, 17],
          [3, 3],
        ],
        1,
      ],
      [
        [
          [2, 3, 1],
          [2, 3, 33],
        ],
        2,
      ],
      [[[17], [33], [1]], 0],
      [[[17, 3]], 0],
      [
        [
          [3, 17, 3],
          [3, 1, 3],
        ],
        1,
      ],
    ] as [Shape[], number][]) {
      const xs = shapes.map((s) => uniformTensor(rng, s, dtype));
      push({
        id: `kernel/Concat/${dtype}/${shapes.map(shapeText).join('+')}/axis=${axis}`,
        kernel: 'Concat',
        dtypes: [dtype],
        inputs: { xs },
        attrs: { axis },
        oracle: () => ({ y: { tensor: oracleConcat(xs, axis), tolerance: 0 } }),
        tolerance: exact(),
      });
    }

    // ---- Transpose over ranks 2 to 4, identity included.
    for (const [shape, perm] of [
      [
        [3, 17],
        [1, 0],
      ],
      [
        [3, 17, 33],
        [2, 0, 1],
      ],
      [
        [3, 17, 33],
        [1, 2, 0],
      ],
      [
        [3, 17, 33],
        [0, 2, 1],
      ],
      [
        [3, 17, 33],
        [0, 1, 2],
      ],
      [
        [1, 3, 17, 3],
        [3, 1, 0, 2],
      ],
    ] as [Shape, number[]][]) {
      const x = uniformTensor(rng, shape, dtype);
      push({
        id: `kernel/Transpose/${dtype}/${shapeText(shape)}/perm=${shapeText(perm)}`,
        kernel: 'Transpose',
        dtypes: [dtype],
        inputs: { x },
        attrs: { perm },
        oracle: () => ({ y: { tensor: oracleTranspose(x, perm), tolerance: 0 } }),
        tolerance: exact(),
      });
    }

    // ---- Reverse over axis subsets.
    for (const [shape, axes] of [
      [[33], [0]],
      [[3, 17, 33], [0]],
      [[3, 17, 33], [2]],
      [
        [3, 17, 33],
        [0, 2],
      ],
      [
        [3, 17, 33],
        [1, 2],
      ],
      [
        [3, 17, 33],
        [0, 1, 2],
      ],
      [[3, 17], []],
      [[1], [0]],
    ] as [Shape, number[]][]) {
      const x = uniformTensor(rng, shape, dtype);
      push({
        id: `kernel/Reverse/${dtype}/${shapeText(shape)}/axes=${shapeText(axes)}`,
        kernel: 'Reverse',
        dtypes: [dtype],
        inputs: { x },
        attrs: { axes },
        oracle: () => ({ y: { tensor: oracleReverse(x, axes), tolerance: 0 } }),
        tolerance: exact(),
      });
    }

    // ---- AdamUpdate: Adam (L2 decay and none) and AdamW on odd sizes, at steps 1, 2, 10 and
    // 1000, from the state the catalogue's update reaches after the earlier steps from zero
    // moments with random gradients, so the moments and bias corrections are realistic.
    const adamVariants: [string, Omit<AdamAttrs, 'step'>][] = [
      ['adam', { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false }],
      [
        'adam-l2',
        { lr: 1e-2, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1, decoupled: false },
      ],
      [
        'adamw',
        { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true },
      ],
      [
        'adamw-strong',
        { lr: 0.1, beta1: 0.5, beta2: 0.9, eps: 1e-6, weightDecay: 0.5, decoupled: true },
      ],
    ];
    const adamShapes: Shape[] = [[1], [3], [17], [33], [3, 17], [2, 3, 33], [0, 3]];
    let rotation = 0;
    for (const [name, hyper] of adamVariants) {
      for (const shape of adamShapes) {
        const step = [1, 2, 10, 1000][rotation++ % 4];
        const attrs: AdamAttrs = { ...hyper, step };
        let param = uniformTensor(rng, shape, dtype);
        let m = hostTensor(shape, dtype, new Float64Array(sizeOf(shape)));
        let v = m;
        for (let t = 1; t < step; t++) {
          const g = uniformTensor(rng, shape, dtype);
          ({ param, m, v } = oracleAdamUpdate(param, g, m, v, { ...attrs, step: t }));
        }
        const inputs = { param, grad: uniformTensor(rng, shape, dtype), m, v };
        const oracle = () => oracleAdamUpdate(param, inputs.grad, m, v, attrs);
        const tolerance = () => {
          const { scale } = oracle();
          return Object.fromEntries(
            (['param', 'm', 'v'] as const).map((k) => [
              k,
              {
                tolerance: kernelTolerance(dtype, 0, ADAM_ROUNDINGS[k]),
                scale: Math.max(1, scale[k]),
              },
            ]),
          );
        };
        push({
          id: `kernel/AdamUpdate/${dtype}/${name}/${shapeText(shape)}/step=${step}`,
          kernel: 'AdamUpdate',
          dtypes: [dtype],
          inputs,
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
    }
  }

  // ---- int32 where the op layer allows it: sign-like unary ops and integer-exact binary ops.
  for (const op of ['neg', 'abs', 'sign', 'square', 'relu', 'step'] as UnaryOp[]) {
    const x = intTensor(rng, [17, 3], -50, 51);
    push({
      id: `kernel/Unary/int32/${op}/[17, 3]`,
      kernel: 'Unary',
      dtypes: ['int32'],
      inputs: { x },
      attrs: { op },
      oracle: () => ({ y: { tensor: oracleUnary(x, op), tolerance: 0 } }),
      tolerance: exact(),
    });
  }
  for (const op of BINARY_OPS.filter((o) => o !== 'div' && o !== 'pow')) {
    for (const [sa, sb] of [BINARY_SHAPES[0], BINARY_SHAPES[1], BINARY_SHAPES[2]]) {
      const [a, b] = binaryInputs(op, rng, sa, sb, 'int32');
      const shape = broadcast(sa, sb);
      push({
        id: `kernel/Binary/int32/${op}/${shapeText(sa)}x${shapeText(sb)}`,
        kernel: 'Binary',
        dtypes: ['int32'],
        inputs: { a, b },
        attrs: { op, shape },
        oracle: () => ({ y: { tensor: oracleBinary(a, b, op, shape), tolerance: 0 } }),
        tolerance: exact(),
      });
    }
  }
  return cases;
}

function broadcast(a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    return da === 1 ? db : da;
  });
}

const RNN_SIZES: { B: number; T: number; I: number; H: number }[] = [
  { B: 1, T: 1, I: 1, H: 1 },
  { B: 3, T: 17, I: 3, H: 33 },
  { B: 2, T: 3, I: 17, H: 3 },
  { B: 3, T: 5, I: 33, H: 17 },
];

/**
 * The fused recurrent kernel cases: every mode, with and without lengths, forwards and in
 * reverse, on odd sizes, for both float dtypes; `RnnForward` and `RnnBackward` each.
 */
export function rnnCases(seed = 4321): RnnCase[] {
  const rng = rngFor(seed);
  const cases: RnnCase[] = [];
  const modes: RnnMode[] = ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'];
  for (const kernel of ['RnnForward', 'RnnBackward'] as const) {
    for (const dtype of FLOATS) {
      let rotation = 0;
      for (const mode of modes) {
        for (const withLengths of [false, true]) {
          for (const reverse of [false, true]) {
            for (let k = 0; k < 2; k++) {
              const sizes = RNN_SIZES[(rotation++ + k) % RNN_SIZES.length];
              const { B, T, I, H } = sizes;
              const G = GATES_PER_MODE[mode];
              const bound = 1 / Math.sqrt(H);
              const lstm = mode === 'LSTM';
              let lengths: HostTensor | undefined;
              if (withLengths) {
                const ls = Array.from({ length: B }, () => rng.int(T + 1));
                ls[0] = T;
                if (B >= 3) ls[B - 1] = 0;
                lengths = hostTensor([B], 'int32', ls);
              }
              const inputs: Record<string, HostTensor | undefined> = {
                x: uniformTensor(rng, [B, T, I], dtype),
                wIh: uniformTensor(rng, [G * H, I], dtype, -bound, bound),
                wHh: uniformTensor(rng, [G * H, H], dtype, -bound, bound),
                bIh: uniformTensor(rng, [G * H], dtype, -bound, bound),
                bHh: uniformTensor(rng, [G * H], dtype, -bound, bound),
                h0: uniformTensor(rng, [B, H], dtype, -0.5, 0.5),
                c0: lstm ? uniformTensor(rng, [B, H], dtype, -0.5, 0.5) : undefined,
                lengths,
                dy: uniformTensor(rng, [B, T, H], dtype),
                dhN: uniformTensor(rng, [B, H], dtype),
                dcN: lstm ? uniformTensor(rng, [B, H], dtype) : undefined,
              };
              const lengthText = lengths
                ? `lengths=${shapeText(Array.from(lengths.values))}`
                : 'full';
              cases.push({
                id: `kernel/${kernel}/${dtype}/${mode}/${reverse ? 'reverse' : 'forward'}/${lengthText}/B=${B},T=${T},I=${I},H=${H}`,
                kernel,
                dtype,
                mode,
                reverse,
                sizes,
                inputs,
              });
            }
          }
        }
      }
    }
  }
  return cases;
}

// ------------------------------------------------------------------ running

function kernelFunc(backend: Backend, kernel: KernelName) {
  const fn =
    ENGINE.getKernel(kernel, backend.name) ?? (backend.kernels as Record<string, unknown>)[kernel];
  if (typeof fn !== 'function')
    throw new Error(`backend '${backend.name}' has no kernel '${kernel}'`);
  return fn as (
    inputs: unknown,
    attrs: unknown,
    backend: Backend,
  ) => Record<string, TensorInfo | undefined>;
}

/** Uploads host inputs, calls the kernel, reads every output back and frees everything it stored. */
async function callKernel(
  backend: Backend,
  kernel: KernelName,
  inputs: HostInputs,
  attrs: Record<string, unknown>,
): Promise<Record<string, HostTensor>> {
  const stored: TensorInfo[] = [];
  const up = (h: HostTensor): TensorInfo => {
    const info = {
      dataId: backend.write(h.values, h.shape, h.dtype),
      shape: h.shape,
      dtype: h.dtype,
    };
    stored.push(info);
    return info;
  };
  try {
    const infos: Record<string, TensorInfo | TensorInfo[] | undefined> = {};
    for (const [k, v] of Object.entries(inputs))
      infos[k] = v === undefined ? undefined : Array.isArray(v) ? v.map(up) : up(v);
    const outputs = kernelFunc(backend, kernel)(infos, attrs, backend);
    const result: Record<string, HostTensor> = {};
    for (const info of Object.values(outputs)) if (info) stored.push(info);
    for (const [k, info] of Object.entries(outputs)) {
      if (!info) continue;
      result[k] = {
        shape: [...info.shape],
        dtype: info.dtype,
        values: await backend.read(info.dataId),
      };
    }
    return result;
  } finally {
    for (const info of stored) backend.disposeData(info.dataId);
  }
}

/** Forward (training or not) then, when asked, backward, all on one backend. */
async function callRnn(
  backend: Backend,
  c: RnnCase,
  training: boolean,
  backward: boolean,
): Promise<Record<string, HostTensor>> {
  const stored: TensorInfo[] = [];
  const up = (h: HostTensor | undefined): TensorInfo | undefined => {
    if (!h) return undefined;
    const info = {
      dataId: backend.write(h.values, h.shape, h.dtype),
      shape: h.shape,
      dtype: h.dtype,
    };
    stored.push(info);
    return info;
  };
  const read = async (info: TensorInfo) => ({
    shape: [...info.shape],
    dtype: info.dtype,
    values: await backend.read(info.dataId),
  });
  try {
    const i = c.inputs;
    const fwdInputs = {
      x: up(i.x),
      wIh: up(i.wIh),
      wHh: up(i.wHh),
      bIh: up(i.bIh),
      bHh: up(i.bHh),
      h0: up(i.h0),
      c0: up(i.c0),
      lengths: up(i.lengths),
    };
    const fwd = kernelFunc(backend, 'RnnForward')(
      fwdInputs,
      { mode: c.mode, reverse: c.reverse, training },
      backend,
    );
    for (const info of Object.values(fwd)) if (info) stored.push(info);
    const result: Record<string, HostTensor> = {};
    if (!backward) {
      for (const k of ['y', 'hN', 'cN']) if (fwd[k]) result[k] = await read(fwd[k]!);
      return result;
    }
    const bwd = kernelFunc(backend, 'RnnBackward')(
      {
        ...fwdInputs,
        y: fwd.y,
        reserve: fwd.reserve,
        dy: up(i.dy),
        dhN: up(i.dhN),
        dcN: up(i.dcN),
      },
      { mode: c.mode, reverse: c.reverse },
      backend,
    );
    for (const info of Object.values(bwd)) if (info) stored.push(info);
    for (const [k, info] of Object.entries(bwd)) if (info) result[k] = await read(info);
    return result;
  } finally {
    for (const info of stored) backend.disposeData(info.dataId);
  }
}

/** The composed reference of a recurrent case: core's `rnnSequenceReference` and the tape, on the active backend. */
function rnnReference(c: RnnCase, backward: boolean): Record<string, HostTensor> {
  const i = c.inputs;
  const up = (h: HostTensor | undefined) => (h ? tensor(h.values, h.shape, h.dtype) : undefined);
  const t = {
    x: up(i.x)!,
    wIh: up(i.wIh)!,
    wHh: up(i.wHh)!,
    bIh: up(i.bIh)!,
    bHh: up(i.bHh)!,
    h0: up(i.h0)!,
    c0: up(i.c0),
    lengths: up(i.lengths),
  };
  const cot = { dy: up(i.dy)!, dhN: up(i.dhN)!, dcN: up(i.dcN) };
  const read = (x: Tensor): HostTensor => ({
    shape: [...x.shape],
    dtype: x.dtype,
    values: x.dataSync(),
  });
  const result: Record<string, HostTensor> = {};
  try {
    const run = () => {
      const r = rnnSequenceReference({ mode: c.mode, reverse: c.reverse, ...t });
      result.y = read(r.y);
      result.hN = read(r.hN);
      if (r.cN) result.cN = read(r.cN);
      let l = add(sum(mul(r.y, cot.dy)), sum(mul(r.hN, cot.dhN)));
      if (r.cN && cot.dcN) l = add(l, sum(mul(r.cN, cot.dcN)));
      return l;
    };
    if (!backward) {
      dispose(ENGINE.tidy(run));
      return result;
    }
    const wrt = [t.x, t.wIh, t.wHh, t.bIh, t.bHh, t.h0, ...(t.c0 ? [t.c0] : [])];
    const names = ['dx', 'dWIh', 'dWHh', 'dBIh', 'dBHh', 'dh0', 'dc0'];
    const { value, grads } = ENGINE.valueAndGrads(run, wrt);
    const out: Record<string, HostTensor> = {};
    grads.forEach((g, k) => {
      out[names[k]] = read(g);
    });
    dispose([value, grads]);
    return out;
  } finally {
    dispose([t, cot]);
  }
}

async function withActiveBackend<T>(name: string, fn: () => T): Promise<T> {
  let previous: string | undefined;
  try {
    previous = ENGINE.backend.name;
  } catch {
    previous = undefined;
  }
  await ENGINE.setBackend(name);
  try {
    return fn();
  } finally {
    if (previous !== undefined && previous !== name) await ENGINE.setBackend(previous);
  }
}

/** Options of {@link runKernelCase}. */
export interface RunKernelCaseOptions {
  /** Tolerances (default {@link TOLERANCES}). */
  tolerances?: Tolerances;
  /** The reference backend (default `cpu`); when it is the backend under test, the oracle is used. */
  referenceBackend?: string;
}

/**
 * Runs one kernel-level case on `backendName` and compares it with the reference: the cpu
 * backend's kernel, or — when the backend under test is cpu — the host oracle or the
 * composed recurrent reference. Both backends must be registered; they are initialised here.
 */
export async function runKernelCase(
  backendName: string,
  c: AnyKernelCase,
  options: RunKernelCaseOptions = {},
): Promise<KernelCaseResult> {
  const tol = options.tolerances ?? TOLERANCES;
  const refName = options.referenceBackend ?? 'cpu';
  try {
    const backend = await ENGINE.initBackend(backendName);
    const selfCheck = backendName === refName;
    const ref = selfCheck ? undefined : await ENGINE.initBackend(refName);
    let expected: Record<string, ExpectedOutput>;
    let actual: Record<string, HostTensor>;
    if ('mode' in c) {
      const s = { ...c.sizes, G: GATES_PER_MODE[c.mode] };
      const backward = c.kernel === 'RnnBackward';
      const tolerance = rnnKernelTolerance(c.dtype, s, backward ? 'gradient' : 'forward');
      const reference = ref
        ? await callRnn(ref, c, backward, backward)
        : await withActiveBackend(backendName, () => rnnReference(c, backward));
      expected = Object.fromEntries(
        Object.entries(reference).map(([k, v]) => [k, { tensor: v, tolerance }]),
      );
      actual = await callRnn(backend, c, backward, backward);
      if (!backward) {
        // The training forward (which also fills the reserve) must give the same outputs.
        const trained = await callRnn(backend, c, true, false);
        for (const [k, v] of Object.entries(trained)) actual[`${k} (training)`] = v;
        for (const k of Object.keys(reference)) expected[`${k} (training)`] = expected[k];
      }
    } else {
      if (ref) {
        const reference = await callKernel(ref, c.kernel, c.inputs, c.attrs);
        const tols = c.tolerance(tol);
        expected = Object.fromEntries(
          Object.entries(reference).map(([k, v]) => [k, { tensor: v, ...tols[k] }]),
        );
      } else {
        expected = c.oracle(tol);
      }
      actual = await callKernel(backend, c.kernel, c.inputs, c.attrs);
    }
    return compareOutputs(c.id, actual, expected);
  } catch (e) {
    return {
      id: c.id,
      ok: false,
      error: Infinity,
      message: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
    };
  }
}

function compareOutputs(
  id: string,
  actual: Record<string, HostTensor>,
  expected: Record<string, ExpectedOutput>,
): KernelCaseResult {
  const failures: string[] = [];
  let worst = 0;
  for (const [name, exp] of Object.entries(expected)) {
    const act = actual[name];
    if (!act) {
      failures.push(`${name}: missing from the kernel's outputs`);
      worst = Infinity;
      continue;
    }
    if (act.dtype !== exp.tensor.dtype)
      failures.push(`${name}: dtype ${act.dtype}, expected ${exp.tensor.dtype}`);
    const check = checkTensor(name, act, exp.tensor, exp.tolerance, exp.scale);
    worst = Math.max(worst, check.error);
    if (!check.ok) failures.push(check.message!);
  }
  return {
    id,
    ok: failures.length === 0,
    error: worst,
    message: failures.length === 0 ? `max error ${formatError(worst)}` : failures.join('; '),
  };
}
