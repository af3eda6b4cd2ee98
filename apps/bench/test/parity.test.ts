// The same-function check: shared weights, their Keras layout, loss trajectories of rnnkit and
// TF.js from them, and how rows are compared and shown.
import '@rnnkit/backend-cpu';
import * as core from '@rnnkit/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lossTrajectory as rnnkitTrajectory } from '../src/engines/rnnkit.js';
import { lossTrajectory as tfjsTrajectory } from '../src/engines/tfjs.js';
import {
  formatParity,
  isHeldBias,
  knownMathDifference,
  meanCrossEntropy,
  PARITY_RTOL,
  PARITY_STEPS,
  parityOf,
  trajectoryDiff,
} from '../src/parity.js';
import { initialWeights, kerasWeights, toKerasBias, toKerasKernel } from '../src/weights.js';
import { getWorkload, type Workload } from '../src/workloads.js';

beforeAll(async () => {
  await core.setBackend('cpu');
  await tf.setBackend('cpu');
});

/** A workload's structure at a size that trains in milliseconds. */
const tiny = (id: Workload['id'], extra: Partial<Workload> = {}): Workload => ({
  ...getWorkload(id),
  batch: 4,
  steps: 6,
  inputSize: 5,
  hidden: 7,
  units: 3,
  ...extra,
});

describe('shared initial weights', () => {
  it('are a pure function of the workload, in PyTorch names and shapes', () => {
    const w = tiny('W6');
    const a = initialWeights(w);
    expect(initialWeights(w)).toEqual(a);
    expect(Object.keys(a.recurrent).slice(0, 5)).toEqual([
      'weight_ih_l0',
      'weight_hh_l0',
      'bias_ih_l0',
      'bias_hh_l0',
      'weight_ih_l0_reverse',
    ]);
    expect(a.recurrent.weight_ih_l1.shape).toEqual([4 * 7, 2 * 7]);
    expect(a.head.weight.shape).toEqual([3, 14]);
    const bound = 1 / Math.sqrt(7);
    expect(a.recurrent.weight_hh_l0.data.every((v) => Math.abs(v) <= bound)).toBe(true);
  });

  it('convert to Keras kernels with the gate blocks reordered (GRU: r,z,n → z,r,h)', () => {
    // PyTorch [G·H, C] with H = 1, C = 2: row g holds gate g's weights.
    const w = { shape: [3, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
    expect(toKerasKernel(w, 1, [1, 0, 2])).toEqual({
      shape: [2, 3],
      data: Float32Array.from([3, 1, 5, 4, 2, 6]),
    });
    const b1 = { shape: [3], data: Float32Array.from([1, 2, 3]) };
    const b2 = { shape: [3], data: Float32Array.from([10, 20, 30]) };
    expect(toKerasBias(b1, b2, 1, [1, 0, 2]).data).toEqual(Float32Array.from([22, 11, 33]));
    expect(() => toKerasKernel(w, 2, [0, 1])).toThrow(/expected 4 rows, got 3/);
    const keras = kerasWeights(tiny('W6'), initialWeights(tiny('W6')));
    // 2 layers × 2 directions × (kernel, recurrent kernel, bias), then the Dense kernel and bias.
    expect(keras.map((a) => a.shape)).toEqual([
      [5, 28],
      [7, 28],
      [28],
      [5, 28],
      [7, 28],
      [28],
      [14, 28],
      [7, 28],
      [28],
      [14, 28],
      [7, 28],
      [28],
      [14, 3],
      [3],
    ]);
  });
});

describe('rnnkit and TF.js compute the same function from the same weights', () => {
  const cases: [string, Workload][] = [
    ['LSTM inference', tiny('W1')],
    ['LSTM training', tiny('W2')],
    ['SimpleRNN training', tiny('W4')],
    ['one-hot char-LM, head at every step', tiny('W5', { inputSize: 6, units: 6 })],
    ['2-layer BiLSTM', tiny('W6')],
  ];
  it.each(cases)('%s: loss trajectories within PARITY_RTOL', async (_, w) => {
    const a = rnnkitTrajectory(w);
    const b = await tfjsTrajectory(tf, w);
    expect(a).toHaveLength(w.training ? PARITY_STEPS + 1 : 1);
    expect(trajectoryDiff(a, b)).toBeLessThanOrEqual(PARITY_RTOL);
    // The steps move the loss by far more than the tolerance: the check sees the updates.
    if (w.training) expect(Math.abs(a[0] - a[PARITY_STEPS])).toBeGreaterThan(100 * PARITY_RTOL);
  });

  it("GRU: TF.js's reset-before math is a different function, and the check says so", async () => {
    const w = tiny('W3');
    const d = trajectoryDiff(rnnkitTrajectory(w), await tfjsTrajectory(tf, w));
    expect(d).toBeGreaterThan(PARITY_RTOL);
    expect(knownMathDifference('W3', 'rnnkit', 'tfjs')).toMatch(/reset_after/);
    expect(knownMathDifference('W3', 'rnnkit', 'pytorch')).toBeUndefined();
    expect(knownMathDifference('W2', 'tfjs', 'rnnkit')).toBeUndefined();
  });
});

describe('comparing rows', () => {
  it('holds only PyTorch’s second recurrent bias fixed', () => {
    expect(isHeldBias('bias_hh_l0')).toBe(true);
    expect(isHeldBias('rec.bias_hh_l1_reverse')).toBe(true);
    expect(isHeldBias('bias_ih_l0')).toBe(false);
    expect(isHeldBias('head.bias')).toBe(false);
  });

  it('measures the largest relative difference, refusing misaligned or non-finite ones', () => {
    expect(trajectoryDiff([2, 1], [2, 1])).toBe(0);
    expect(trajectoryDiff([4, 0.5], [4.0004, 0.5])).toBeCloseTo(0.0004 / 4.0004, 12);
    expect(trajectoryDiff([0.1], [0.1 + 1e-6])).toBeCloseTo(1e-6, 12); // below 1: absolute
    expect(trajectoryDiff([1, 2], [1])).toBe(Number.POSITIVE_INFINITY);
    expect(trajectoryDiff([], [])).toBe(Number.POSITIVE_INFINITY);
    expect(trajectoryDiff([Number.NaN], [1])).toBe(Number.POSITIVE_INFINITY);
  });

  it('compares a row with another engine’s, in the order of preference', () => {
    const r = (engine: 'rnnkit' | 'tfjs' | 'pytorch', backend: string, trajectory?: number[]) => ({
      workload: 'W2' as const,
      engine,
      backend,
      trajectory,
    });
    const rows = [
      r('rnnkit', 'cpu', [2, 1.9]),
      r('rnnkit', 'wasm', [2, 1.9]),
      r('tfjs', 'wasm', [2, 1.9000001]),
      r('pytorch', 'cpu', [2, 1.95]),
    ];
    expect(parityOf(rows[1], rows)).toMatchObject({ reference: 'tfjs/wasm', ok: true });
    expect(parityOf(rows[3], rows)).toMatchObject({ reference: 'rnnkit/cpu', ok: false });
    expect(parityOf(r('rnnkit', 'gpujs'), rows)).toBeUndefined();
    expect(parityOf(rows[0], [rows[0]])).toBeUndefined(); // no other engine
    const gru = { ...rows[2], workload: 'W3' as const };
    const gruRef = { ...rows[0], workload: 'W3' as const };
    const p = parityOf(gru, [gruRef]);
    expect(p?.ok).toBeUndefined();
    expect(p?.reason).toMatch(/reset_after/);
    // An rnnkit GRU row prefers PyTorch (same math) over TF.js when both ran.
    const gruRows = rows.map((x) => ({ ...x, workload: 'W3' as const }));
    expect(parityOf(gruRows[1], gruRows)).toMatchObject({ reference: 'pytorch/cpu', ok: false });
    expect(parityOf(gruRows[1], gruRows.slice(0, 3))).toMatchObject({ reference: 'tfjs/wasm' });
  });

  it('formats the cell', () => {
    expect(formatParity({ reference: 'tfjs/cpu', diff: 3e-7, ok: true })).toBe(
      '✓ Δ 3e-7 vs tfjs/cpu',
    );
    expect(formatParity({ reference: 'rnnkit/cpu', diff: 0.002, ok: false })).toBe(
      '✗ Δ 2e-3 vs rnnkit/cpu',
    );
    expect(
      formatParity({ reference: 'x/y', diff: 6e-4, reason: 'TF.js GRU is reset_after=false' }),
    ).toBe('n/a, other math (TF.js GRU is reset_after=false): Δ 6e-4 vs x/y');
    expect(formatParity(undefined)).toBe('—');
  });

  it('computes the cross-entropy of logits against one-hot targets', () => {
    // Equal logits over 4 classes: ln 4 whatever the target.
    expect(meanCrossEntropy([0, 0, 0, 0, 1, 1, 1, 1], [1, 0, 0, 0, 0, 0, 1, 0], 4)).toBeCloseTo(
      Math.log(4),
      12,
    );
    expect(meanCrossEntropy([1000, 0], [1, 0], 2)).toBeCloseTo(0, 12); // no overflow
    expect(() => meanCrossEntropy([1, 2, 3], [1, 0, 0], 2)).toThrow(/rows of 2/);
  });
});
