/**
 * Gradients of every differentiable op of core against central finite differences, in
 * float64, on random shapes and values drawn by fast-check. The loss is `sum(f(x) * w)` for a
 * random cotangent `w`, so every element of the op's output takes part.
 */

import type { Tensor } from '@rnnkit/core';
import { dispose, ENGINE, getBackend, tensor } from '@rnnkit/core';
import {
  accurateDot,
  checkTensor,
  formatError,
  type HostTensor,
  hostTensor,
  rngFor,
  shapeText,
  uniformTensor,
} from '@rnnkit/testing';
import * as fc from 'fast-check';
import { binaryGradientChecks } from './gradients/Binary.js';
import { castGradientChecks } from './gradients/Cast.js';
import { concatGradientChecks } from './gradients/Concat.js';
import type { AddCheck } from './gradients/domains.js';
import { gatherGradientChecks } from './gradients/Gather.js';
import { matMulGradientChecks } from './gradients/MatMul.js';
import { padGradientChecks } from './gradients/Pad.js';
import { reduceGradientChecks } from './gradients/Reduce.js';
import { reverseGradientChecks } from './gradients/Reverse.js';
import { rnnGradientChecks } from './gradients/Rnn.js';
import { scatterAddGradientChecks } from './gradients/ScatterAdd.js';
import { sliceGradientChecks } from './gradients/Slice.js';
import { softmaxGradientChecks } from './gradients/Softmax.js';
import { splitGradientChecks } from './gradients/Split.js';
import { stackGradientChecks } from './gradients/Stack.js';
import { transposeGradientChecks } from './gradients/Transpose.js';
import { unaryGradientChecks } from './gradients/Unary.js';
import { viewsGradientChecks } from './gradients/views.js';
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

/** Ops whose outputs are not differentiable (integer results), with the reason they have no check. */
export const NON_DIFFERENTIABLE_OPS: Readonly<Record<string, string>> = {
  argMax: 'int32 output: no gradient flows through an index',
  oneHot: 'its input is int32 indices; the output is a constant of the indices',
  'Cast to int32': 'integer output: piecewise constant, no gradient',
};

/** Every gradient check: each differentiable op of core, with its variants, one generator per kernel. */
export function gradientChecks(): GradientCheck[] {
  const checks: GradientCheck[] = [];
  const add: AddCheck = (id, arbitrary) => {
    checks.push({ id: `gradient/${id}`, arbitrary });
  };
  unaryGradientChecks(add);
  binaryGradientChecks(add);
  matMulGradientChecks(add);
  castGradientChecks(add);
  reduceGradientChecks(add);
  softmaxGradientChecks(add);
  gatherGradientChecks(add);
  scatterAddGradientChecks(add);
  sliceGradientChecks(add);
  padGradientChecks(add);
  concatGradientChecks(add);
  stackGradientChecks(add);
  splitGradientChecks(add);
  transposeGradientChecks(add);
  reverseGradientChecks(add);
  viewsGradientChecks(add);
  rnnGradientChecks(add);
  return checks;
}
