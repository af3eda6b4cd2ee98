/**
 * The same-function check: every engine starts a workload from the same weights
 * (`weights.ts`) and data, runs {@link PARITY_STEPS} Adam steps, and the loss trajectories
 * are compared to a float32 tolerance ({@link PARITY_RTOL}).
 */
import type { EngineName, ResultRow, WorkloadId } from './workloads.js';
import { getWorkload } from './workloads.js';

/** Adam steps of the check (the loss after them is compared too). */
export const PARITY_STEPS = 3;

/**
 * Largest accepted relative difference between two engines' losses at the same step,
 * `|a − b| / max(|a|, |b|, 1)`.
 *
 * Why 1e-5: the loss is a float32 reduction over products summed T·(I+H) ≤ 3.2·10⁴ terms deep
 * (W5); engines sum in different orders (SIMD lanes, blocked products, GPU), and the
 * statistical rounding estimate for such sums, √N·2⁻²⁴ ≈ 180 · 6·10⁻⁸ ≈ 1·10⁻⁵, is how far
 * two correct float32 engines may drift apart. Measured between rnnkit and TF.js: ≤ 1·10⁻⁶
 * over 3 steps. A real difference of function is far above it: training both of PyTorch's
 * biases against Keras' one (a doubled bias step) parts the W2 losses by 2.5·10⁻⁴ after one
 * step, and TF.js's reset-before GRU by 6·10⁻⁴ before any step.
 */
export const PARITY_RTOL = 1e-5;

/**
 * True for the parameters the check holds fixed: PyTorch's second recurrent bias `bias_hh_*`.
 * Keras (TF.js) has one bias per gate where PyTorch has two whose sum acts; training both
 * moves the sum by two Adam steps per step where Keras moves it by one, so the trajectories
 * would part for a reason that is no error. Holding `b_hh` fixed (its initial value still
 * counts) makes both sides the same function of the same trained parameters.
 */
export function isHeldBias(name: string): boolean {
  return /(^|\.)bias_hh_l\d+(_reverse)?$/.test(name);
}

/** Largest relative difference of two loss trajectories (`Infinity` when they do not align). */
export function trajectoryDiff(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) return Number.POSITIVE_INFINITY;
    const d = Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), Math.abs(b[i]), 1);
    if (d > worst) worst = d;
  }
  return worst;
}

/**
 * Why two engines compute a different function on a workload even from the same weights, or
 * undefined when they should agree: TF.js's GRU only has `reset_after=false` (reset gate
 * applied before the recurrent product), rnnkit's and PyTorch's apply it after.
 */
export function knownMathDifference(
  workload: WorkloadId,
  a: EngineName,
  b: EngineName,
): string | undefined {
  const w = getWorkload(workload);
  if (w.kind === 'rnn' && w.cell === 'GRU' && (a === 'tfjs') !== (b === 'tfjs'))
    return 'TF.js GRU is reset_after=false';
  return undefined;
}

/** Reference rows a row's trajectory is compared with, best first: another engine's. */
export function parityReferences(
  engine: EngineName,
): readonly { engine: EngineName; backend: string }[] {
  return engine === 'rnnkit'
    ? [
        { engine: 'tfjs', backend: 'cpu' },
        { engine: 'tfjs', backend: 'wasm' },
        { engine: 'pytorch', backend: 'cpu' },
      ]
    : [
        { engine: 'rnnkit', backend: 'cpu' },
        { engine: 'rnnkit', backend: 'wasm' },
      ];
}

/** Outcome of the check for one row. */
export interface Parity {
  /** `engine/backend` the row was compared with. */
  reference: string;
  /** {@link trajectoryDiff} of the two rows. */
  diff: number;
  /** Within {@link PARITY_RTOL}; undefined when the math differs by design (`reason`). */
  ok?: boolean;
  /** A known difference of function (see {@link knownMathDifference}). */
  reason?: string;
}

/**
 * The check of `row` against the first of its {@link parityReferences} found in `candidates`
 * (rows of the same commit only: the caller filters) that computes the same function; failing
 * that, against the first one found, with the known difference. Undefined when there is none.
 */
export function parityOf(
  row: Pick<ResultRow, 'workload' | 'engine' | 'backend' | 'trajectory'>,
  candidates: readonly Pick<
    ResultRow,
    'workload' | 'engine' | 'backend' | 'trajectory' | 'error'
  >[],
): Parity | undefined {
  if (!row.trajectory?.length) return undefined;
  const twin = getWorkload(row.workload).sameFunctionAs;
  if (twin) {
    // A variant of another workload (checkpointed BPTT): compared with that workload's row of
    // the same engine and backend.
    const other = candidates.find(
      (r) =>
        r.workload === twin &&
        r.engine === row.engine &&
        r.backend === row.backend &&
        !r.error &&
        r.trajectory?.length,
    );
    if (!other?.trajectory) return undefined;
    const diff = trajectoryDiff(row.trajectory, other.trajectory);
    return { reference: `${twin} ${row.engine}/${row.backend}`, diff, ok: diff <= PARITY_RTOL };
  }
  let fallback: Parity | undefined;
  for (const ref of parityReferences(row.engine)) {
    const other = candidates.find(
      (r) =>
        r.workload === row.workload &&
        r.engine === ref.engine &&
        r.backend === ref.backend &&
        !r.error &&
        r.trajectory?.length,
    );
    if (!other?.trajectory) continue;
    const diff = trajectoryDiff(row.trajectory, other.trajectory);
    const reference = `${ref.engine}/${ref.backend}`;
    const reason = knownMathDifference(row.workload, row.engine, ref.engine);
    if (!reason) return { reference, diff, ok: diff <= PARITY_RTOL };
    fallback ??= { reference, diff, reason };
  }
  return fallback;
}

/** The table cell: `✓ 3e-7 vs tfjs/cpu`, `✗ 2e-3 vs …`, or the known difference. */
export function formatParity(p: Parity | undefined): string {
  if (!p) return '—';
  const d = Number.isFinite(p.diff) ? p.diff.toExponential(0) : 'no match';
  if (p.reason) return `n/a, other math (${p.reason}): Δ ${d} vs ${p.reference}`;
  return `${p.ok ? '✓' : '✗'} Δ ${d} vs ${p.reference}`;
}

/**
 * Mean categorical cross-entropy of `logits` rows (`units` wide) against one-hot `targets`,
 * computed in float64 with a stable log-sum-exp: the loss of an engine that only returns
 * outputs (ONNX Runtime).
 */
export function meanCrossEntropy(
  logits: ArrayLike<number>,
  targets: ArrayLike<number>,
  units: number,
): number {
  if (logits.length !== targets.length || logits.length % units !== 0)
    throw new Error(
      `meanCrossEntropy: ${logits.length} logits and ${targets.length} targets do not form rows of ${units}`,
    );
  const rows = logits.length / units;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let u = 0; u < units; u++) max = Math.max(max, logits[r * units + u]);
    let sum = 0;
    for (let u = 0; u < units; u++) sum += Math.exp(logits[r * units + u] - max);
    const logZ = max + Math.log(sum);
    for (let u = 0; u < units; u++)
      total += targets[r * units + u] * (logZ - logits[r * units + u]);
  }
  return total / rows;
}
