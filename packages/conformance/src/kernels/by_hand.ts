/**
 * Kernel cases with results worked out by hand (moved from backend-cpu's per-kernel tests): small
 * inputs whose answers are written here, not computed by the oracle, so they check the oracle's
 * reading of the catalogue as much as the backends. Each runs in both float dtypes (int32
 * inputs stay int32), and is held to the same tolerance as the generated cases of its kernel.
 */
import type { AdamAttrs, BinaryOp, DType, Shape, UnaryOp } from '@rnnkit/core';
import { BINARY_OPS, UNARY_OPS } from '@rnnkit/core';
import { type HostTensor, hostTensor } from '@rnnkit/testing';
import { kernelTolerance, type Tolerances } from '../tolerances.js';
import { binaryRoundings } from './Binary.js';
import type { CasePush, FloatDType } from './domains.js';
import type { KernelCase } from './types.js';
import { unaryRoundings } from './Unary.js';

/** A host tensor by hand: shape, values, and `int32` when it is not of the case's float dtype. */
type Hand = [Shape, number[], 'int32'?];

interface HandCase {
  label: string;
  kernel: KernelCase['kernel'];
  inputs: Record<string, Hand | Hand[]>;
  attrs: Record<string, unknown>;
  /** The expected outputs by name (`y` for every kernel but AdamUpdate). */
  expected: Record<string, Hand>;
  /** Rounded operations behind one output element (0: exact) and terms of its longest sum. */
  bound?: (tol: Tolerances) => { terms: number; roundings: number };
}

const INPUT = [-2, -0.5, 0, 0.5, 3];
const NAN = Number.NaN;
const INF = Number.POSITIVE_INFINITY;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const UNARY: Record<UnaryOp, number[]> = {
  neg: [2, 0.5, -0, -0.5, -3],
  abs: [2, 0.5, 0, 0.5, 3],
  sign: [-1, -1, 0, 1, 1],
  exp: INPUT.map(Math.exp),
  log: [NAN, NAN, -INF, Math.log(0.5), Math.log(3)],
  log1p: [NAN, Math.log(0.5), 0, Math.log(1.5), Math.log(4)],
  sqrt: [NAN, NAN, 0, Math.SQRT1_2, Math.sqrt(3)],
  rsqrt: [NAN, NAN, INF, Math.SQRT2, 1 / Math.sqrt(3)],
  square: [4, 0.25, 0, 0.25, 9],
  reciprocal: [-0.5, -2, INF, 2, 1 / 3],
  tanh: INPUT.map(Math.tanh),
  sigmoid: INPUT.map(sigmoid),
  relu: [0, 0, 0, 0.5, 3],
  step: [0, 0, 0, 1, 1],
  softplus: INPUT.map((x) => Math.log(1 + Math.exp(x))),
};
const BINARY: Record<BinaryOp, number[]> = {
  add: [2, 0, 0, 4.5],
  sub: [0, -4, 6, 3.5],
  mul: [1, -4, -9, 2],
  div: [1, -1, -1, 8],
  maximum: [1, 2, 3, 4],
  minimum: [1, -2, -3, 0.5],
  pow: [1, 4, 1 / 27, 2],
  equal: [1, 0, 0, 0],
  greater: [0, 0, 1, 1],
  greaterEqual: [1, 0, 1, 1],
  less: [0, 1, 0, 0],
  lessEqual: [1, 1, 0, 0],
};

/** The element-wise hand cases: every op on one table, and broadcasting. */
function elementwiseCases(): HandCase[] {
  const cases: HandCase[] = UNARY_OPS.map((op) => ({
    label: `${op}/by-hand`,
    kernel: 'Unary',
    inputs: { x: [[5], INPUT] },
    attrs: { op },
    expected: { y: [[5], UNARY[op]] },
    bound: (tol) => ({ terms: 0, roundings: unaryRoundings(op, tol) }),
  }));
  for (const op of BINARY_OPS)
    cases.push({
      label: `${op}/by-hand`,
      kernel: 'Binary',
      inputs: {
        a: [
          [2, 2],
          [1, -2, 3, 4],
        ],
        b: [
          [2, 2],
          [1, 2, -3, 0.5],
        ],
      },
      attrs: { op, shape: [2, 2] },
      expected: { y: [[2, 2], BINARY[op]] },
      bound: (tol) => ({ terms: 0, roundings: binaryRoundings(op, tol) }),
    });
  const row = (label: string, a: Hand, b: Hand, op: BinaryOp, y: Hand): HandCase => ({
    label: `${op}/${label}/by-hand`,
    kernel: 'Binary',
    inputs: { a, b },
    attrs: { op, shape: y[0] },
    expected: { y },
  });
  cases.push(
    row(
      'row-by-column',
      [
        [3, 1],
        [10, 20, 30],
      ],
      [[2], [1, 2]],
      'add',
      [
        [3, 2],
        [11, 12, 21, 22, 31, 32],
      ],
    ),
    row(
      'matrix-minus-scalar',
      [
        [2, 2],
        [1, 2, 3, 4],
      ],
      [[], [10]],
      'sub',
      [
        [2, 2],
        [-9, -8, -7, -6],
      ],
    ),
    row(
      'scalar-minus-matrix',
      [[], [10]],
      [
        [2, 2],
        [1, 2, 3, 4],
      ],
      'sub',
      [
        [2, 2],
        [9, 8, 7, 6],
      ],
    ),
    row(
      'middle-axes',
      [
        [2, 1, 2],
        [1, 2, 3, 4],
      ],
      [
        [1, 3, 1],
        [0, 10, 100],
      ],
      'mul',
      [
        [2, 3, 2],
        [0, 0, 10, 20, 100, 200, 0, 0, 30, 40, 300, 400],
      ],
    ),
    row('int32', [[2], [7, -7], 'int32'], [[2], [2, 2], 'int32'], 'add', [[2], [9, -5], 'int32']),
  );
  return cases;
}

/** The reduction, selection and normalisation hand cases. */
function reductionCases(): HandCase[] {
  // [2, 3, 2] with value 100·i + 10·j + k.
  const v = [0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121];
  const reduce = (
    label: string,
    x: Hand,
    attrs: Record<string, unknown>,
    y: Hand,
    terms = 0,
  ): HandCase => ({
    label: `${label}/by-hand`,
    kernel: 'Reduce',
    inputs: { x },
    attrs,
    expected: { y },
    bound: () => ({ terms, roundings: 0 }),
  });
  const soft = (kernel: 'Softmax' | 'LogSoftmax', label: string, x: Hand, y: Hand): HandCase => ({
    label: `${label}/by-hand`,
    kernel,
    inputs: { x },
    attrs: {},
    expected: { y },
    bound: (tol) => ({ terms: x[0].at(-1) ?? 1, roundings: 4 + 2 * tol.transcendentalUlps }),
  });
  const e = Math.exp(-1);
  return [
    reduce(
      'sum/axes=[1]',
      [[2, 3, 2], v],
      { op: 'sum', axes: [1], keepDims: false },
      [
        [2, 2],
        [30, 33, 330, 333],
      ],
      3,
    ),
    reduce(
      'max/axes=[0, 2]/keepDims',
      [[2, 3, 2], v],
      { op: 'max', axes: [0, 2], keepDims: true },
      [
        [1, 3, 1],
        [101, 111, 121],
      ],
    ),
    reduce('min/axes=[0, 1, 2]', [[2, 3, 2], v], { op: 'min', axes: [0, 1, 2], keepDims: false }, [
      [],
      [0],
    ]),
    reduce('sum/empty-axis', [[2, 0], []], { op: 'sum', axes: [1], keepDims: false }, [
      [2],
      [0, 0],
    ]),
    reduce('max/empty-axis', [[2, 0], []], { op: 'max', axes: [1], keepDims: false }, [
      [2],
      [-INF, -INF],
    ]),
    reduce('min/empty-axis', [[2, 0], []], { op: 'min', axes: [1], keepDims: false }, [
      [2],
      [INF, INF],
    ]),
    {
      label: 'ties/by-hand',
      kernel: 'ArgMax',
      inputs: {
        x: [
          [2, 3],
          [1, 5, 5, 9, 2, 9],
        ],
      },
      attrs: { axis: 1 },
      expected: { y: [[2], [1, 0], 'int32'] },
    },
    {
      label: 'axis=0/by-hand',
      kernel: 'ArgMax',
      inputs: {
        x: [
          [2, 2, 2],
          [0, 9, 2, 3, 5, 1, 7, 3],
        ],
      },
      attrs: { axis: 0 },
      expected: { y: [[2, 2], [1, 0, 1, 0], 'int32'] },
    },
    {
      label: 'nan/by-hand',
      kernel: 'ArgMax',
      inputs: { x: [[4], [1, NAN, 3, NAN]] },
      attrs: { axis: 0 },
      expected: { y: [[], [1], 'int32'] },
    },
    soft(
      'Softmax',
      'rows',
      [
        [2, 2],
        [0, Math.log(3), 1, 1],
      ],
      [
        [2, 2],
        [0.25, 0.75, 0.5, 0.5],
      ],
    ),
    soft(
      'Softmax',
      'large',
      [[3], [1000, 1000, 999]],
      [[3], [1 / (2 + e), 1 / (2 + e), e / (2 + e)]],
    ),
    soft(
      'LogSoftmax',
      'rows',
      [
        [2, 2],
        [0, Math.log(3), 2, 2],
      ],
      [
        [2, 2],
        [Math.log(0.25), Math.log(0.75), Math.log(0.5), Math.log(0.5)],
      ],
    ),
    soft('LogSoftmax', 'underflow', [[2], [0, -1000]], [[2], [0, -1000]]),
    soft('LogSoftmax', 'masked', [[2], [0, -INF]], [[2], [0, -INF]]),
  ];
}

/** A hand case of an exact kernel (no rounding: data movement, indexing, casts, small integer products). */
const exact = (
  kernel: KernelCase['kernel'],
  label: string,
  inputs: HandCase['inputs'],
  attrs: object,
  y: Hand,
): HandCase => ({
  label: `${label}/by-hand`,
  kernel,
  inputs,
  attrs: attrs as Record<string, unknown>,
  expected: { y },
});

/** The indexing and cast hand cases. */
function indexingCases(): HandCase[] {
  const six = [1, 2, 3, 4, 5, 6];
  return [
    exact(
      'Cast',
      'to-int32',
      {
        x: [
          [2, 2],
          [1.9, -1.9, 0.5, -0.5],
        ],
      },
      { dtype: 'int32' },
      [[2, 2], [1, -1, 0, 0], 'int32'],
    ),
    exact(
      'Gather',
      'embedding',
      {
        x: [
          [3, 2],
          [0, 1, 10, 11, 20, 21],
        ],
        indices: [[2, 2], [2, 0, 2, 1], 'int32'],
      },
      { axis: 0 },
      [
        [2, 2, 2],
        [20, 21, 0, 1, 20, 21, 10, 11],
      ],
    ),
    exact(
      'Gather',
      'inner-axis',
      { x: [[2, 3], six], indices: [[3], [2, 2, 0], 'int32'] },
      { axis: 1 },
      [
        [2, 3],
        [3, 3, 1, 6, 6, 4],
      ],
    ),
    exact(
      'Gather',
      'scalar-index',
      { x: [[2, 2], [1, 2, 3, 4], 'int32'], indices: [[], [1], 'int32'] },
      { axis: 0 },
      [[2], [3, 4], 'int32'],
    ),
    exact(
      'ScatterAdd',
      'repeats',
      { updates: [[3, 2], six], indices: [[3], [2, 0, 2], 'int32'] },
      { axis: 0, shape: [4, 2] },
      [
        [4, 2],
        [3, 4, 0, 0, 6, 8, 0, 0],
      ],
    ),
    exact(
      'ScatterAdd',
      'inner-axis',
      { updates: [[2, 3], six], indices: [[3], [1, 1, 0], 'int32'] },
      { axis: 1, shape: [2, 2] },
      [
        [2, 2],
        [3, 3, 6, 9],
      ],
    ),
  ];
}

/** The layout and product hand cases. */
function layoutCases(): HandCase[] {
  const six = [1, 2, 3, 4, 5, 6];
  const bt = [0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121];
  return [
    exact(
      'Slice',
      'inner-block',
      { x: [[2, 3, 4], Array.from({ length: 24 }, (_, i) => i)] },
      { begin: [1, 1, 1], size: [1, 2, 2] },
      [
        [1, 2, 2],
        [17, 18, 21, 22],
      ],
    ),
    exact('Slice', 'empty-at-end', { x: [[3], [1, 2, 3]] }, { begin: [3], size: [0] }, [[0], []]),
    exact(
      'Pad',
      'zeros',
      {
        x: [
          [2, 2],
          [1, 2, 3, 4],
        ],
      },
      {
        paddings: [
          [1, 0],
          [0, 2],
        ],
        value: 0,
      },
      [
        [3, 4],
        [0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0],
      ],
    ),
    exact('Pad', 'value', { x: [[1], [5]] }, { paddings: [[2, 1]], value: -1 }, [
      [4],
      [-1, -1, 5, -1],
    ]),
    exact(
      'Concat',
      'last-axis',
      {
        xs: [
          [
            [2, 2],
            [1, 2, 3, 4],
          ],
          [
            [2, 1],
            [5, 6],
          ],
        ],
      },
      { axis: 1 },
      [
        [2, 3],
        [1, 2, 5, 3, 4, 6],
      ],
    ),
    exact(
      'Concat',
      'with-empty',
      {
        xs: [
          [
            [1, 2],
            [1, 2],
          ],
          [[0, 2], []],
          [
            [2, 2],
            [3, 4, 5, 6],
          ],
        ],
      },
      { axis: 0 },
      [[3, 2], six],
    ),
    exact('Transpose', 'matrix', { x: [[2, 3], six] }, { perm: [1, 0] }, [
      [3, 2],
      [1, 4, 2, 5, 3, 6],
    ]),
    exact('Transpose', 'batch-time', { x: [[2, 3, 2], bt] }, { perm: [1, 0, 2] }, [
      [3, 2, 2],
      [0, 1, 100, 101, 10, 11, 110, 111, 20, 21, 120, 121],
    ]),
    exact('Reverse', 'one-axis', { x: [[2, 3], six] }, { axes: [1] }, [
      [2, 3],
      [3, 2, 1, 6, 5, 4],
    ]),
    exact('Reverse', 'two-axes', { x: [[2, 3], six] }, { axes: [0, 1] }, [
      [2, 3],
      [6, 5, 4, 3, 2, 1],
    ]),
    exact(
      'MatMul',
      '2x3@3x2',
      {
        a: [[2, 3], six],
        b: [
          [3, 2],
          [7, 8, 9, 10, 11, 12],
        ],
      },
      { transposeA: false, transposeB: false },
      [
        [2, 2],
        [58, 64, 139, 154],
      ],
    ),
  ];
}

/**
 * One Adam step on one element, with β₁ = 0.5, β₂ = 0, t = 1 so that every value is exact in
 * binary (bc1 = 0.5, bc2 = 1, v' = g²), then both bias corrections and ε at step 2.
 */
function adamCases(): HandCase[] {
  const base: AdamAttrs = {
    lr: 0.1,
    beta1: 0.5,
    beta2: 0,
    eps: 0,
    weightDecay: 0,
    decoupled: false,
    step: 1,
  };
  const adam = (
    label: string,
    attrs: AdamAttrs,
    [p, g, m, v]: number[],
    out: number[],
  ): HandCase => ({
    label: `${label}/by-hand`,
    kernel: 'AdamUpdate',
    inputs: { param: [[1], [p]], grad: [[1], [g]], m: [[1], [m]], v: [[1], [v]] },
    attrs: { ...attrs },
    expected: { param: [[1], [out[0]]], m: [[1], [out[1]]], v: [[1], [out[2]]] },
    bound: () => ({ terms: 0, roundings: 28 }),
  });
  return [
    // m' = 0.5·1 + 0.5·2 = 1.5, v' = 4, p' = 1 − (1.5 / 2)·0.2
    adam('adam', base, [1, 2, 1, 7], [0.85, 1.5, 4]),
    // g = 2 + 0.5·1 = 2.5: m' = 1.75, v' = 6.25, p' = 1 − (1.75 / 2.5)·0.2
    adam('adam-l2', { ...base, weightDecay: 0.5 }, [1, 2, 1, 7], [0.86, 1.75, 6.25]),
    // p = 1·(1 − 0.05) first, g unchanged: p' = 0.95 − 0.75·0.2
    adam('adamw', { ...base, weightDecay: 0.5, decoupled: true }, [1, 2, 1, 7], [0.8, 1.5, 4]),
    // β₂ = 0.75, t = 2: bc1 = 0.75, bc2 = 0.4375; m' = 0.3, v' = 0.07
    adam(
      'bias-corrections',
      { ...base, lr: 0.3, beta2: 0.75, eps: 1e-3, step: 2 },
      [1, 0.4, 0.2, 0.04],
      [1 - (0.3 / (Math.sqrt(0.07 / 0.4375) + 1e-3)) * 0.4, 0.3, 0.07],
    ),
  ];
}

const tensorOf = (h: Hand, dtype: FloatDType): HostTensor => hostTensor(h[0], h[2] ?? dtype, h[1]);

/** Every hand case in one float dtype. */
export function byHandCases(dtype: FloatDType, push: CasePush): void {
  for (const c of [
    ...elementwiseCases(),
    ...reductionCases(),
    ...indexingCases(),
    ...layoutCases(),
    ...adamCases(),
  ]) {
    const inputs = Object.fromEntries(
      Object.entries(c.inputs).map(([k, h]) => [
        k,
        Array.isArray(h[0]) && Array.isArray(h[0][0])
          ? (h as Hand[]).map((t) => tensorOf(t, dtype))
          : tensorOf(h as Hand, dtype),
      ]),
    );
    const expected = Object.fromEntries(
      Object.entries(c.expected).map(([k, h]) => [k, tensorOf(h, dtype)]),
    );
    const dtypes = new Set<DType>(
      [
        ...Object.values(c.inputs).flatMap((h) =>
          Array.isArray(h[0]) && Array.isArray(h[0][0]) ? (h as Hand[]) : [h as Hand],
        ),
        ...Object.values(c.expected),
      ].map((h) => h[2] ?? dtype),
    );
    const tolerance = (tol: Tolerances) => {
      const b = c.bound?.(tol);
      const t = b ? kernelTolerance(dtype, b.terms, b.roundings) : 0;
      return Object.fromEntries(Object.keys(expected).map((k) => [k, { tolerance: t }]));
    };
    // A case on int32 alone is the same in both float dtypes: it runs once, under int32.
    const intOnly = !dtypes.has(dtype);
    if (intOnly && dtype !== 'float32') continue;
    push({
      id: `kernel/${c.kernel}/${intOnly ? 'int32' : dtype}/${c.label}`,
      kernel: c.kernel,
      dtypes: [...dtypes],
      inputs,
      attrs: c.kernel === 'OneHot' ? { ...c.attrs, dtype } : c.attrs,
      oracle: (tol) => {
        const t = tolerance(tol);
        return Object.fromEntries(
          Object.entries(expected).map(([k, tensor]) => [k, { tensor, ...t[k] }]),
        );
      },
      tolerance,
    });
  }
}
