/**
 * Gradients of every differentiable op of core against central finite differences, in
 * float64, on random shapes and values drawn by fast-check. The loss is `sum(f(x) * w)` for a
 * random cotangent `w`, so every element of the op's output takes part.
 */

import type { Tensor } from '@rnnkit/core';
import {
  BINARY_OPS,
  type BinaryOp,
  binary,
  cast,
  clone,
  concat,
  dispose,
  ENGINE,
  expandDims,
  GATES_PER_MODE,
  gather,
  getBackend,
  logSoftmax,
  logSumExp,
  matMul,
  max,
  mean,
  min,
  mul,
  pad,
  type RnnMode,
  reshape,
  reverse,
  rnnSequence,
  rnnSequenceReference,
  scatterAdd,
  sizeOf,
  slice,
  softmax,
  split,
  squeeze,
  stack,
  sum,
  tensor,
  transpose,
  UNARY_OPS,
  type UnaryOp,
  unary,
} from '@rnnkit/core';
import {
  accurateDot,
  awayFromZeroTensor,
  checkTensor,
  formatError,
  type HostTensor,
  hostTensor,
  intTensor,
  rngFor,
  shapeText,
  uniformTensor,
} from '@rnnkit/testing';
import * as fc from 'fast-check';
import { TOLERANCES, type Tolerances } from './tolerances.js';

/** One concrete gradient problem: inputs, the function, and which inputs to differentiate. */
export interface GradientProblem {
  /** Describes the drawn shapes/attributes (shown on failure). */
  label: string;
  /** Inputs (float64, or int32 for indices and lengths). */
  inputs: HostTensor[];
  /** Indices of the inputs to differentiate (default: every float input). */
  wrt?: number[];
  /** The function of the uploaded inputs. */
  f: (...xs: Tensor[]) => Tensor;
  /** Seed of the cotangent `w`. */
  seed: number;
  /** Finite-difference step override (e.g. for a function through float32). */
  step?: number;
}

/** A family of gradient problems for one op, drawn by fast-check. */
export interface GradientCheck {
  /** Stable id: `gradient/<op>/<variant>`. */
  id: string;
  /** Draws problems. */
  arbitrary: fc.Arbitrary<GradientProblem>;
}

/** Options of {@link runGradientCheck}. */
export interface GradientCheckOptions {
  /** fast-check seed (default 42: the suite is deterministic unless asked otherwise). */
  seed?: number;
  /** Problems drawn per check (default 6). */
  numRuns?: number;
  /** Tolerances (default {@link TOLERANCES}). */
  tolerances?: Tolerances;
  /** Most elements probed per input (default 24, chosen at random beyond that). */
  maxProbes?: number;
}

/** Result of one gradient check. */
export interface GradientCheckResult {
  /** The check id. */
  id: string;
  /** True when every drawn problem matched. */
  ok: boolean;
  /** Largest error seen. */
  error: number;
  /** Failure explanation (fast-check's counterexample report) or a summary. */
  message?: string;
}

const seedArb = fc.integer({ min: 1, max: 2 ** 30 });
const dimArb = fc.constantFrom(1, 2, 3, 5);
const shapeArb = (minRank = 1, maxRank = 3) =>
  fc.array(dimArb, { minLength: minRank, maxLength: maxRank });

/** Evaluates `f` on the active backend and returns its values (everything it made is freed). */
function evaluate(
  problem: GradientProblem,
  hosts: HostTensor[],
): { values: Float64Array; shape: number[]; dtype: string } {
  return ENGINE.tidy(() => {
    const xs = hosts.map((h) => tensor(h.values, h.shape, h.dtype));
    const y = problem.f(...xs);
    return { values: Float64Array.from(y.dataSync()), shape: [...y.shape], dtype: y.dtype };
  });
}

/**
 * Checks one problem: the tape's gradient of `sum(f(x) * w)` against central differences at up
 * to `maxProbes` elements of each differentiated input. Throws with a report on mismatch;
 * returns the error otherwise.
 */
export function checkGradientProblem(
  problem: GradientProblem,
  options: GradientCheckOptions = {},
): number {
  const tol = (options.tolerances ?? TOLERANCES).finiteDifference;
  const maxProbes = options.maxProbes ?? 24;
  const rng = rngFor(problem.seed);
  const base = evaluate(problem, problem.inputs);
  const w = uniformTensor(rng, base.shape, base.dtype === 'float32' ? 'float32' : 'float64');
  const wrt = problem.wrt ?? problem.inputs.flatMap((h, i) => (h.dtype === 'int32' ? [] : [i]));

  // Analytic gradients from the tape, seeded with w.
  const analytic = (() => {
    const xs = problem.inputs.map((h) => tensor(h.values, h.shape, h.dtype));
    const dy = tensor(w.values, w.shape, w.dtype);
    try {
      const { value, grads } = ENGINE.valueAndGrads(
        () => problem.f(...xs),
        wrt.map((i) => xs[i]),
        dy,
      );
      const out = grads.map((g) => ({
        shape: [...g.shape],
        values: Float64Array.from(g.dataSync()),
      }));
      dispose([value, grads]);
      return out;
    } finally {
      dispose([xs, dy]);
    }
  })();

  let worst = 0;
  wrt.forEach((inputIndex, k) => {
    const input = problem.inputs[inputIndex];
    const g = analytic[k];
    const n = input.values.length;
    const probes =
      n <= maxProbes
        ? Array.from({ length: n }, (_, i) => i)
        : rng.shuffle(Array.from({ length: n }, (_, i) => i)).slice(0, maxProbes);
    const numeric = new Float64Array(probes.length);
    const tape = new Float64Array(probes.length);
    probes.forEach((j, p) => {
      const x0 = input.values[j];
      const h = (problem.step ?? tol.step) * Math.max(1, Math.abs(x0));
      const at = (v: number) => {
        const values = Float64Array.from(input.values);
        values[j] = v;
        const hosts = problem.inputs.map((t, i) =>
          i === inputIndex ? hostTensor(t.shape, t.dtype, values) : t,
        );
        return accurateDot(evaluate(problem, hosts).values, w.values);
      };
      numeric[p] = (at(x0 + h) - at(x0 - h)) / (2 * h);
      tape[p] = g.values[j];
    });
    const sameShape =
      g.shape.length === input.shape.length && g.shape.every((d, i) => d === input.shape[i]);
    if (!sameShape)
      throw new Error(
        `gradient of input ${inputIndex} has shape ${shapeText(g.shape)}, expected ${shapeText(input.shape)}`,
      );
    const check = checkTensor(
      `d/d(input ${inputIndex}) at flat indices [${probes.join(', ')}]`,
      { shape: [probes.length], values: tape },
      { shape: [probes.length], values: numeric },
      tol.tolerance,
    );
    worst = Math.max(worst, check.error);
    if (!check.ok)
      throw new Error(`${problem.label}: tape vs finite differences: ${check.message}`);
  });
  return worst;
}

/**
 * Runs one gradient check with fast-check on the active backend (which must support float64).
 * Never throws: a mismatch becomes a failed result naming the smallest failing problem (after
 * fast-check's shrinking) with the seed and path that replay it.
 */
export function runGradientCheck(
  check: GradientCheck,
  options: GradientCheckOptions = {},
): GradientCheckResult {
  const backend = getBackend();
  if (!backend.dtypes.includes('float64')) {
    return {
      id: check.id,
      ok: false,
      error: Infinity,
      message: `backend '${backend.name}' does not support float64, which finite-difference checks need; list the exclusion 'gradient' with this reason`,
    };
  }
  let worst = 0;
  const seed = options.seed ?? 42;
  const details = fc.check(
    fc.property(check.arbitrary, (problem) => {
      worst = Math.max(worst, checkGradientProblem(problem, options));
    }),
    { seed, numRuns: options.numRuns ?? 6 },
  );
  if (!details.failed)
    return { id: check.id, ok: true, error: worst, message: `max error ${formatError(worst)}` };
  const cause =
    details.errorInstance instanceof Error
      ? details.errorInstance.message
      : String(details.errorInstance);
  const label = details.counterexample?.[0]?.label;
  return {
    id: check.id,
    ok: false,
    error: Infinity,
    message:
      `${cause} (smallest failing case: ${label ?? 'unknown'}; after ${details.numRuns} run(s), ` +
      `replay with fast-check seed ${details.seed}, path "${details.counterexamplePath ?? ''}")`,
  };
}

// ------------------------------------------------------------------ the checks

type Domain = (seed: number, shape: number[]) => HostTensor;
const U =
  (low: number, high: number): Domain =>
  (seed, shape) =>
    uniformTensor(rngFor(seed), shape, 'float64', low, high);
const AWAY =
  (low: number, high: number): Domain =>
  (seed, shape) =>
    awayFromZeroTensor(rngFor(seed), shape, 'float64', low, high);

const UNARY_GRAD_DOMAIN: Record<UnaryOp, Domain> = {
  neg: U(-2, 2),
  abs: AWAY(0.1, 2),
  sign: AWAY(0.1, 2),
  exp: U(-2, 2),
  log: U(0.3, 2),
  log1p: U(-0.5, 2),
  sqrt: U(0.3, 2),
  rsqrt: U(0.3, 2),
  square: U(-2, 2),
  reciprocal: AWAY(0.3, 2),
  tanh: U(-2, 2),
  sigmoid: U(-3, 3),
  relu: AWAY(0.1, 2),
  step: AWAY(0.1, 2),
  softplus: U(-3, 3),
};

/** Distinct values (spaced by at least 0.08) so that max/min have a unique, stable winner. */
function distinct(seed: number, shape: number[]): HostTensor {
  const rng = rngFor(seed);
  const n = sizeOf(shape);
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  return hostTensor(
    shape,
    'float64',
    order.map((k) => (k - n / 2) * 0.1 + rng.uniform(-0.01, 0.01)),
  );
}

/** A shape `b` broadcastable against `a`: some axes set to 1, some leading axes dropped. */
function broadcastPartner(a: number[], mask: boolean[], drop: number): number[] {
  return a.map((d, i) => (mask[i % mask.length] ? 1 : d)).slice(Math.min(drop, a.length));
}

function rnnProblem(mode: RnnMode, reference: boolean, withLengths: boolean, reverse: boolean) {
  return fc
    .record({
      B: fc.constantFrom(1, 2, 3),
      T: fc.constantFrom(1, 2, 4),
      I: fc.constantFrom(1, 3),
      H: fc.constantFrom(1, 2, 3),
      seed: seedArb,
    })
    .map(({ B, T, I, H, seed }): GradientProblem => {
      const rng = rngFor(seed);
      const G = GATES_PER_MODE[mode];
      const k = 1 / Math.sqrt(H);
      const lstm = mode === 'LSTM';
      const inputs = [
        uniformTensor(rng, [B, T, I], 'float64'),
        uniformTensor(rng, [G * H, I], 'float64', -k, k),
        uniformTensor(rng, [G * H, H], 'float64', -k, k),
        uniformTensor(rng, [G * H], 'float64', -k, k),
        uniformTensor(rng, [G * H], 'float64', -k, k),
        uniformTensor(rng, [B, H], 'float64', -0.5, 0.5),
      ];
      if (lstm) inputs.push(uniformTensor(rng, [B, H], 'float64', -0.5, 0.5));
      if (withLengths) {
        const ls = Array.from({ length: B }, () => rng.int(T + 1));
        ls[0] = T;
        inputs.push(hostTensor([B], 'int32', ls));
      }
      const run = reference ? rnnSequenceReference : rnnSequence;
      return {
        label: `${mode} B=${B} T=${T} I=${I} H=${H}${withLengths ? ` lengths=${shapeText(Array.from(inputs[inputs.length - 1].values))}` : ''}${reverse ? ' reverse' : ''}`,
        inputs,
        seed,
        f: (x, wIh, wHh, bIh, bHh, h0, ...rest) => {
          const c0 = lstm ? rest[0] : undefined;
          const lengths = withLengths ? rest[rest.length - 1] : undefined;
          const r = run({ mode, x, wIh, wHh, bIh, bHh, h0, c0, lengths, reverse });
          // One output carrying y, hN and cN so that the loss reaches all three.
          const parts = [reshape(r.y, [-1]), reshape(r.hN, [-1])];
          if (r.cN) parts.push(reshape(r.cN, [-1]));
          return concat(parts, 0);
        },
      };
    });
}

/** Ops whose outputs are not differentiable (integer results), with the reason they have no check. */
export const NON_DIFFERENTIABLE_OPS: Readonly<Record<string, string>> = {
  argMax: 'int32 output: no gradient flows through an index',
  oneHot: 'its input is int32 indices; the output is a constant of the indices',
  'Cast to int32': 'integer output: piecewise constant, no gradient',
};

/** Every gradient check: each differentiable op of core, with its variants. */
export function gradientChecks(): GradientCheck[] {
  const checks: GradientCheck[] = [];
  const add = (id: string, arbitrary: fc.Arbitrary<GradientProblem>) =>
    checks.push({ id: `gradient/${id}`, arbitrary });

  for (const op of UNARY_OPS) {
    add(
      `unary/${op}`,
      fc.record({ shape: shapeArb(0, 3), seed: seedArb }).map(({ shape, seed }) => ({
        label: `${op} ${shapeText(shape)}`,
        inputs: [UNARY_GRAD_DOMAIN[op](seed, shape)],
        seed,
        f: (x: Tensor) => unary(op, x),
      })),
    );
  }

  for (const op of BINARY_OPS) {
    const comparison = !['add', 'sub', 'mul', 'div', 'pow'].includes(op);
    add(
      `binary/${op}`,
      fc
        .record({
          shape: shapeArb(1, 3),
          mask: fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
          drop: fc.nat(2),
          seed: seedArb,
        })
        .map(({ shape, mask, drop, seed }) => {
          const rng = rngFor(seed);
          let a: HostTensor;
          let b: HostTensor;
          if (comparison) {
            // Same shape, |a - b| ≥ 0.1: away from the kink (maximum/minimum) and from equality.
            a = uniformTensor(rng, shape, 'float64', -2, 2);
            const gap = awayFromZeroTensor(rng, shape, 'float64', 0.1, 1);
            b = hostTensor(
              shape,
              'float64',
              Array.from(a.values, (v, i) => v + gap.values[i]),
            );
          } else {
            const bShape = broadcastPartner(shape, mask, drop);
            const swap = rng.next() < 0.5 && op !== 'pow' && op !== 'div';
            const big =
              op === 'pow'
                ? uniformTensor(rng, shape, 'float64', 0.5, 2)
                : uniformTensor(rng, shape, 'float64', -2, 2);
            const small =
              op === 'div'
                ? awayFromZeroTensor(rng, bShape, 'float64', 0.5, 2)
                : uniformTensor(rng, bShape, 'float64', op === 'pow' ? -2 : -2, 2);
            [a, b] = swap ? [small, big] : [big, small];
          }
          return {
            label: `${op} ${shapeText(a.shape)} x ${shapeText(b.shape)}`,
            inputs: [a, b],
            seed,
            f: (x: Tensor, y: Tensor) => binary(op as BinaryOp, x, y),
          };
        }),
    );
  }

  add(
    'matMul',
    fc
      .record({
        M: dimArb,
        K: dimArb,
        N: dimArb,
        tA: fc.boolean(),
        tB: fc.boolean(),
        batch: fc.constantFrom(0, 0, 1, 2, 3),
        bcast: fc.constantFrom('none', 'a', 'b'),
        seed: seedArb,
      })
      .map(({ M, K, N, tA, tB, batch, bcast, seed }) => {
        const rng = rngFor(seed);
        const ba = batch === 0 ? [] : [bcast === 'a' ? 1 : batch];
        const bb = batch === 0 ? [] : [bcast === 'b' ? 1 : batch];
        const a = uniformTensor(rng, [...ba, ...(tA ? [K, M] : [M, K])], 'float64');
        const b = uniformTensor(rng, [...bb, ...(tB ? [N, K] : [K, N])], 'float64');
        return {
          label: `matMul ${shapeText(a.shape)} x ${shapeText(b.shape)} tA=${tA} tB=${tB}`,
          inputs: [a, b],
          seed,
          f: (x: Tensor, y: Tensor) => matMul(x, y, { transposeA: tA, transposeB: tB }),
        };
      }),
  );

  add(
    'cast/float64-to-float32-and-back',
    fc.record({ shape: shapeArb(1, 2), seed: seedArb }).map(({ shape, seed }) => ({
      label: `cast ${shapeText(shape)}`,
      inputs: [U(-2, 2)(seed, shape)],
      seed,
      // The round trip through float32 is linear between float32 grid points, but each point
      // moves by up to 6e-8·|x|: a large step (0.25) keeps that below 1e-6 of the slope.
      step: 0.25,
      f: (x: Tensor) => cast(cast(x, 'float32'), 'float64'),
    })),
  );

  const axesArb = (shape: number[]) => fc.subarray(shape.map((_, i) => i));
  for (const [name, op] of [
    ['sum', sum],
    ['mean', mean],
    ['max', max],
    ['min', min],
    ['logSumExp', logSumExp],
  ] as const) {
    add(
      `reduce/${name}`,
      shapeArb(1, 3)
        .chain((shape) =>
          fc.record({
            shape: fc.constant(shape),
            axes: axesArb(shape),
            keepDims: fc.boolean(),
            seed: seedArb,
          }),
        )
        .map(({ shape, axes, keepDims, seed }) => ({
          label: `${name} ${shapeText(shape)} axes=${shapeText(axes)} keepDims=${keepDims}`,
          inputs: [
            name === 'max' || name === 'min' ? distinct(seed, shape) : U(-2, 2)(seed, shape),
          ],
          seed,
          f: (x: Tensor) =>
            axes.length === 0 && name !== 'logSumExp'
              ? op(x, undefined, keepDims)
              : op(x, axes, keepDims),
        })),
    );
  }

  for (const [name, op] of [
    ['softmax', softmax],
    ['logSoftmax', logSoftmax],
  ] as const) {
    add(
      name,
      fc.record({ shape: shapeArb(1, 3), seed: seedArb }).map(({ shape, seed }) => ({
        label: `${name} ${shapeText(shape)}`,
        inputs: [U(-3, 3)(seed, shape)],
        seed,
        f: (x: Tensor) => op(x),
      })),
    );
  }

  add(
    'gather',
    fc
      .record({ shape: shapeArb(1, 3), nIdx: fc.constantFrom(1, 3, 5), seed: seedArb })
      .chain(({ shape, nIdx, seed }) =>
        fc.nat(shape.length - 1).map((axis) => {
          const rng = rngFor(seed);
          const indices = intTensor(rng, [nIdx], 0, shape[axis]);
          return {
            label: `gather ${shapeText(shape)} axis=${axis} indices=${shapeText(Array.from(indices.values))}`,
            inputs: [uniformTensor(rng, shape, 'float64'), indices],
            seed,
            f: (x: Tensor, i: Tensor) => gather(x, i, axis),
          };
        }),
      ),
  );

  add(
    'scatterAdd',
    fc
      .record({ shape: shapeArb(1, 3), nIdx: fc.constantFrom(1, 3, 5), seed: seedArb })
      .chain(({ shape, nIdx, seed }) =>
        fc.nat(shape.length - 1).map((axis) => {
          const rng = rngFor(seed);
          const indices = intTensor(rng, [nIdx], 0, shape[axis]);
          const upShape = [...shape.slice(0, axis), nIdx, ...shape.slice(axis + 1)];
          return {
            label: `scatterAdd into ${shapeText(shape)} axis=${axis} indices=${shapeText(Array.from(indices.values))}`,
            inputs: [uniformTensor(rng, upShape, 'float64'), indices],
            seed,
            f: (u: Tensor, i: Tensor) => scatterAdd(u, i, shape, axis),
          };
        }),
      ),
  );

  add(
    'slice',
    fc.record({ shape: shapeArb(1, 3), seed: seedArb }).map(({ shape, seed }) => {
      const rng = rngFor(seed);
      const begin = shape.map((d) => rng.int(d));
      const size = shape.map((d, i) => 1 + rng.int(d - begin[i]));
      return {
        label: `slice ${shapeText(shape)} begin=${shapeText(begin)} size=${shapeText(size)}`,
        inputs: [uniformTensor(rng, shape, 'float64')],
        seed,
        f: (x: Tensor) => slice(x, begin, size),
      };
    }),
  );

  add(
    'pad',
    fc.record({ shape: shapeArb(1, 3), seed: seedArb }).map(({ shape, seed }) => {
      const rng = rngFor(seed);
      const paddings = shape.map(() => [rng.int(3), rng.int(3)] as const);
      return {
        label: `pad ${shapeText(shape)} ${JSON.stringify(paddings)}`,
        inputs: [uniformTensor(rng, shape, 'float64')],
        seed,
        f: (x: Tensor) => pad(x, paddings, 0.5),
      };
    }),
  );

  add(
    'concat',
    fc
      .record({
        shape: shapeArb(1, 3),
        parts: fc.array(dimArb, { minLength: 1, maxLength: 3 }),
        seed: seedArb,
      })
      .chain(({ shape, parts, seed }) =>
        fc.nat(shape.length - 1).map((axis) => {
          const rng = rngFor(seed);
          const inputs = parts.map((p) =>
            uniformTensor(
              rng,
              shape.map((d, i) => (i === axis ? p : d)),
              'float64',
            ),
          );
          return {
            label: `concat ${inputs.map((t) => shapeText(t.shape)).join(' + ')} axis=${axis}`,
            inputs,
            seed,
            f: (...xs: Tensor[]) => concat(xs, axis),
          };
        }),
      ),
  );

  add(
    'stack',
    fc
      .record({ shape: shapeArb(0, 2), n: fc.constantFrom(1, 2, 3), seed: seedArb })
      .chain(({ shape, n, seed }) =>
        fc.nat(shape.length).map((axis) => {
          const rng = rngFor(seed);
          const inputs = Array.from({ length: n }, () => uniformTensor(rng, shape, 'float64'));
          return {
            label: `stack ${n} x ${shapeText(shape)} axis=${axis}`,
            inputs,
            seed,
            f: (...xs: Tensor[]) => stack(xs, axis),
          };
        }),
      ),
  );

  add(
    'split',
    fc.record({ shape: shapeArb(1, 3), seed: seedArb }).chain(({ shape, seed }) =>
      fc.nat(shape.length - 1).map((axis) => {
        const rng = rngFor(seed);
        const sizes: number[] = [];
        for (let left = shape[axis]; left > 0; ) {
          const s = 1 + rng.int(left);
          sizes.push(s);
          left -= s;
        }
        return {
          label: `split ${shapeText(shape)} sizes=${shapeText(sizes)} axis=${axis}`,
          inputs: [uniformTensor(rng, shape, 'float64')],
          seed,
          // Each part scaled differently, so that a gradient routed to the wrong part shows.
          f: (x: Tensor) =>
            concat(
              split(x, sizes, axis).map((p, i) => reshape(mul(p, i + 1), [-1])),
              0,
            ),
        };
      }),
    ),
  );

  add(
    'transpose',
    shapeArb(1, 4)
      .chain((shape) =>
        fc.record({
          shape: fc.constant(shape),
          perm: fc.shuffledSubarray(
            shape.map((_, i) => i),
            { minLength: shape.length, maxLength: shape.length },
          ),
          seed: seedArb,
        }),
      )
      .map(({ shape, perm, seed }) => ({
        label: `transpose ${shapeText(shape)} perm=${shapeText(perm)}`,
        inputs: [U(-1, 1)(seed, shape)],
        seed,
        f: (x: Tensor) => transpose(x, perm),
      })),
  );

  add(
    'reverse',
    shapeArb(1, 3)
      .chain((shape) =>
        fc.record({ shape: fc.constant(shape), axes: axesArb(shape), seed: seedArb }),
      )
      .map(({ shape, axes, seed }) => ({
        label: `reverse ${shapeText(shape)} axes=${shapeText(axes)}`,
        inputs: [U(-1, 1)(seed, shape)],
        seed,
        f: (x: Tensor) => (axes.length === 0 ? reverse(x, []) : reverse(x, axes)),
      })),
  );

  add(
    'reshape-expandDims-squeeze-clone',
    fc.record({ shape: shapeArb(1, 3), seed: seedArb }).map(({ shape, seed }) => ({
      label: `views of ${shapeText(shape)}`,
      inputs: [U(-1, 1)(seed, shape)],
      seed,
      // Scale by the position so the views' index bookkeeping is visible in the gradient.
      f: (x: Tensor) => {
        const flat = reshape(clone(squeeze(expandDims(x, 0), 0)), [-1]);
        const ramp = tensor(
          Float64Array.from({ length: flat.size }, (_, i) => i + 1),
          [flat.size],
          'float64',
        );
        return mul(flat, ramp);
      },
    })),
  );

  const modes: RnnMode[] = ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU'];
  for (const reference of [false, true]) {
    for (const mode of modes) {
      for (const withLengths of [false, true]) {
        for (const rev of [false, true]) {
          add(
            `${reference ? 'rnnSequenceReference' : 'rnnSequence'}/${mode}/${rev ? 'reverse' : 'forward'}/${withLengths ? 'lengths' : 'full'}`,
            rnnProblem(mode, reference, withLengths, rev),
          );
        }
      }
    }
  }
  return checks;
}
