/**
 * Every tolerance of the suite, with the reasoning that produced it. All errors are measured
 * as `max|a - b| / max(1, max|b|)` (see {@link compareValues}). A tolerance is derived from the
 * arithmetic, never tuned to make a result pass; a backend that needs more must pass its own
 * override to the suite with the reason written next to it.
 */
import type { RnnSizes as CoreRnnSizes, DType } from '@rnnkit/core';

/**
 * Unit roundoff `u` (half the machine epsilon) of each float dtype: a correctly rounded
 * operation has relative error at most `u`. float32 epsilon is 2^-23 ≈ 1.19e-7, so u ≈ 5.96e-8;
 * float64 epsilon is 2^-52 ≈ 2.22e-16, so u ≈ 1.11e-16.
 */
export const UNIT_ROUNDOFF: Readonly<Record<'float32' | 'float64', number>> = {
  float32: 2 ** -24,
  float64: 2 ** -53,
};

/** Tolerances of one fixture run: forward values (output, h_n, c_n) and gradients. */
export interface FixtureTolerance {
  /** For `output`, `h_n`, `c_n`. */
  forward: number;
  /** For the gradients of `x`, `h0`, `c0` and every weight. */
  gradient: number;
}

/** Tolerances of the PyTorch golden fixtures, per dtype the layer runs in. */
export interface Tolerances {
  /** Fixture tolerances by dtype. */
  fixture: Readonly<Record<'float32' | 'float64', FixtureTolerance>>;
  /** Central finite differences (float64): step and tolerance. */
  finiteDifference: { step: number; tolerance: number };
  /**
   * Extra units of roundoff allowed for one evaluation of an element-wise transcendental
   * function (exp, log, tanh, sigmoid, pow, …), on top of the rounding of the result.
   */
  transcendentalUlps: number;
}

/**
 * The suite's default tolerances.
 *
 * **float64 fixtures** (the reference answers are PyTorch's own float64 results):
 * `forward: 1e-12`, `gradient: 1e-10` — the figures of the fixtures' README. Reason: the same
 * error-growth argument as for float32 below, with u = 1.1e-16 instead of 6e-8, bounds the
 * forward error by ~1e-13 and the gradient error by ~2e-13 on the shipped sizes; the limits
 * leave 10x (forward) and 500x (gradients, whose summation order differs most between
 * implementations) for larger fixtures in the same format.
 *
 * **float32 fixtures** (the layer runs in float32 from the float64 fixture values rounded to
 * float32, and is compared with PyTorch's float64 answers), derived from u = 2^-24 ≈ 6e-8:
 * - one step of the forward recurrence computes dot products of length K = I + H plus two
 *   biases (worst-case relative error (K+2)·u), then ~6 roundings of gate arithmetic and
 *   transcendental functions: about (K + 8)·u per step, inputs' own rounding included;
 * - errors carried in the state are not amplified by a saturating cell (Jacobian norm ≤ ~1),
 *   so over T steps and L stacked layers they add up: forward error ≲ L·T·(K + 8)·u;
 * - on the shipped cases the worst product is `gru_long40` (T = 40, K = 7 → 40·15·u = 3.6e-5)
 *   and `lstm_l2_bi` (L = 2, T = 5, K = 18 → 2·5·26·u = 1.6e-5); rounded up to
 *   **forward: 1e-4** — the "about 1e-4 relative" of the fixtures' README;
 * - backpropagation runs the same recurrence backwards (dot products of length G·H ≤ 24:
 *   another ≲ T·(G·H + 8)·u ≈ 40·20·u = 4.8e-5), sums weight gradients over B·T ≤ 80 terms
 *   (80·u = 5e-6) and inherits the forward error (≤ 1e-4): **gradient: 2e-4**.
 *
 * **Finite differences** (float64 only): central differences with step h = 1e-5 (relative to
 * `max(1, |x_i|)`) have truncation error h²·|f'''|/6 ≈ 2e-11·|f'''| and rounding error about
 * u·|terms that changed|/h ≈ 1e-11·(changed terms); the loss is summed on the host with
 * compensated summation so unchanged terms cancel exactly. With |f'''| ≤ ~100 on the sampled
 * domains the error stays below ~1e-8; **tolerance: 1e-6** leaves 100x for curvature.
 *
 * **Transcendental functions**: JavaScript's Math functions (and the C libraries wasm
 * backends compile) are accurate to about 1 ulp; a float32 backend evaluating them in float32
 * (as a wasm or GPU kernel does) adds its own rounding: **2 ulps** per evaluation, plus the
 * final rounding counted by {@link kernelTolerance}.
 */
export const TOLERANCES: Readonly<Tolerances> = {
  fixture: {
    float64: { forward: 1e-12, gradient: 1e-10 },
    float32: { forward: 1e-4, gradient: 2e-4 },
  },
  finiteDifference: { step: 1e-5, tolerance: 1e-6 },
  transcendentalUlps: 2,
};

/** A partial override of {@link TOLERANCES}, merged field by field. */
export interface ToleranceOverrides {
  /** Overrides of fixture tolerances by dtype. */
  fixture?: Partial<Record<'float32' | 'float64', Partial<FixtureTolerance>>>;
  /** Overrides of the finite-difference settings. */
  finiteDifference?: Partial<Tolerances['finiteDifference']>;
  /** Override of {@link Tolerances.transcendentalUlps}. */
  transcendentalUlps?: number;
}

/** {@link TOLERANCES} with `overrides` applied. */
export function resolveTolerances(overrides: ToleranceOverrides = {}): Tolerances {
  return {
    fixture: {
      float32: { ...TOLERANCES.fixture.float32, ...overrides.fixture?.float32 },
      float64: { ...TOLERANCES.fixture.float64, ...overrides.fixture?.float64 },
    },
    finiteDifference: { ...TOLERANCES.finiteDifference, ...overrides.finiteDifference },
    transcendentalUlps: overrides.transcendentalUlps ?? TOLERANCES.transcendentalUlps,
  };
}

/** The unit roundoff of `dtype`; 0 for int32, whose arithmetic is exact. */
export function unitRoundoff(dtype: DType): number {
  return dtype === 'int32' ? 0 : UNIT_ROUNDOFF[dtype];
}

/**
 * Tolerance for comparing one kernel's output between two implementations that compute in
 * `dtype` with possibly different operation orders.
 *
 * Each implementation's worst-case error is `(terms + roundings)·u` relative to the scale of
 * the terms it summed (`terms`: the length of the longest sum or dot product behind one output
 * element; `roundings`: other rounded operations and transcendental ulps on the way), and two
 * implementations may err in opposite directions, hence the factor 2. Exact kernels (copies,
 * index arithmetic, single correctly rounded operations evaluated identically) pass
 * `terms = 0, roundings = 0` and must match bit for bit.
 */
export function kernelTolerance(dtype: DType, terms: number, roundings: number): number {
  return 2 * (terms + roundings) * unitRoundoff(dtype);
}

/**
 * Sizes of one recurrent kernel call, as the error bound of {@link rnnKernelTolerance} needs them:
 * B, T, I, H and G of core's `RnnSizes`.
 */
export type RnnSizes = Pick<CoreRnnSizes, 'B' | 'T' | 'I' | 'H' | 'G'>;

/**
 * Tolerance for a fused recurrent kernel compared with another implementation in the same
 * dtype (another backend's kernel, or the composed reference). The same derivation as the
 * float32 fixture tolerance in {@link TOLERANCES}, evaluated for these sizes and doubled
 * because both sides round: forward `2·T·(I + H + 8)·u`; backward adds the reverse recurrence
 * `T·(G·H + 8)·u` and the weight-gradient sums over `B·T` terms, and inherits the forward error.
 */
export function rnnKernelTolerance(
  dtype: DType,
  s: RnnSizes,
  which: 'forward' | 'gradient',
): number {
  const u = unitRoundoff(dtype);
  const forward = 2 * Math.max(1, s.T) * (s.I + s.H + 8) * u;
  if (which === 'forward') return forward;
  return forward + 2 * (Math.max(1, s.T) * (s.G * s.H + 8) + s.B * s.T) * u;
}
