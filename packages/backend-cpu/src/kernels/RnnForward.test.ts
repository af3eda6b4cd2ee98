/**
 * Tests of cpu's `RnnForward` kernel: the PyTorch fixtures, a case by hand, lengths and the
 * reserve.
 */
import { loadFixtures, type RnnProblem, runFixture, runForward } from '@rnnkit/test-utils';
import { describe, expect, it } from 'vitest';
import { expectClose, get } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';

const fixtures = loadFixtures();

describe('RnnForward against the PyTorch fixtures', () => {
  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(23);
  });

  describe.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    it('matches output, h_n, c_n and every layer output in float64 to 1e-12', () => {
      const run = runFixture(new CpuBackend(), fixture);
      const { output, hN, cN } = fixture.outputs;
      expectClose(run.output, output.data, 1e-12, 'output');
      expectClose(run.hN, hN.data, 1e-12, 'h_n');
      if (cN) expectClose(run.cN ?? [], cN.data, 1e-12, 'c_n');
      fixture.layerOutputs?.forEach((expected, layer) => {
        expectClose(run.layerOutputs[layer], expected.data, 1e-12, `layer ${layer} output`);
      });
    });

    it('matches in float32 to 1e-4', () => {
      const run = runFixture(new CpuBackend(), fixture, 'float32');
      const { output, hN, cN } = fixture.outputs;
      expectClose(run.output, output.data, 1e-4, 'output');
      expectClose(run.hN, hN.data, 1e-4, 'h_n');
      if (cN) expectClose(run.cN ?? [], cN.data, 1e-4, 'c_n');
    });
  });
});

/** A one-unit tanh RNN small enough to evaluate by hand. */
const tinyTanh: RnnProblem = {
  mode: 'RNN_TANH',
  reverse: false,
  batch: 1,
  steps: 2,
  inputSize: 1,
  hidden: 1,
  x: [1, 2],
  wIh: [0.5],
  wHh: [-1],
  bIh: [0.25],
  bHh: [-0.5],
  h0: [0.3],
};

describe('RnnForward by hand', () => {
  it('computes h = tanh(W_ih x + b_ih + W_hh h + b_hh) step by step', () => {
    const h1 = Math.tanh(0.5 * 1 + 0.25 - 0.3 - 0.5);
    const h2 = Math.tanh(0.5 * 2 + 0.25 - h1 - 0.5);
    const { y, hN } = runForward(new CpuBackend(), tinyTanh);
    expectClose(y, [h1, h2], 1e-15);
    expectClose(hN, [h2], 1e-15);
  });

  it('runs the reverse direction from the last step but writes y in time order', () => {
    const h1 = Math.tanh(0.5 * 2 + 0.25 - 0.3 - 0.5);
    const h0 = Math.tanh(0.5 * 1 + 0.25 - h1 - 0.5);
    const { y, hN } = runForward(new CpuBackend(), { ...tinyTanh, reverse: true });
    expectClose(y, [h0, h1], 1e-15);
    expectClose(hN, [h0], 1e-15);
  });

  it('computes a ReLU cell', () => {
    const { y } = runForward(new CpuBackend(), { ...tinyTanh, mode: 'RNN_RELU', h0: [0] });
    // Step 0: 0.5 + 0.25 - 0.5 = 0.25; step 1: 1 + 0.25 - 0.25 - 0.5 = 0.5.
    expectClose(y, [0.25, 0.5], 1e-15);
  });

  it('computes one LSTM step with the i, f, g, o gate order', () => {
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    const problem: RnnProblem = {
      mode: 'LSTM',
      reverse: false,
      batch: 1,
      steps: 1,
      inputSize: 1,
      hidden: 1,
      x: [2],
      wIh: [0.1, 0.2, 0.3, 0.4],
      wHh: [0.5, -0.5, 0.25, -0.25],
      bIh: [0, 0.1, 0, 0.1],
      bHh: [0.2, 0, -0.2, 0],
      h0: [0.6],
      c0: [-0.7],
    };
    const i = sigmoid(0.2 + 0.3 + 0.2);
    const f = sigmoid(0.4 + 0.1 - 0.3);
    const g = Math.tanh(0.6 + 0.15 - 0.2);
    const o = sigmoid(0.8 + 0.1 - 0.15);
    const c = f * -0.7 + i * g;
    const { y, hN, cN } = runForward(new CpuBackend(), problem);
    expectClose(y, [o * Math.tanh(c)], 1e-15);
    expectClose(hN, [o * Math.tanh(c)], 1e-15);
    expectClose(cN ?? [], [c], 1e-15);
  });

  it('computes one GRU step in the reset-after form with the r, z, n gate order', () => {
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    const problem: RnnProblem = {
      mode: 'GRU',
      reverse: false,
      batch: 1,
      steps: 1,
      inputSize: 1,
      hidden: 1,
      x: [2],
      wIh: [0.1, 0.2, 0.3],
      wHh: [0.5, -0.5, 0.25],
      bIh: [0, 0.1, 0.05],
      bHh: [0.2, 0, -0.2],
      h0: [0.6],
    };
    const r = sigmoid(0.2 + 0.3 + 0.2);
    const z = sigmoid(0.4 + 0.1 - 0.3);
    const n = Math.tanh(0.6 + 0.05 + r * (0.15 - 0.2));
    const { hN } = runForward(new CpuBackend(), problem);
    expectClose(hN, [(1 - z) * n + z * 0.6], 1e-15);
  });
});

describe('RnnForward with lengths', () => {
  const problem: RnnProblem = {
    mode: 'GRU',
    reverse: false,
    batch: 3,
    steps: 3,
    inputSize: 2,
    hidden: 2,
    x: Array.from({ length: 18 }, (_, i) => Math.sin(i + 1)),
    wIh: Array.from({ length: 12 }, (_, i) => Math.cos(i) / 2),
    wHh: Array.from({ length: 12 }, (_, i) => Math.sin(2 * i) / 2),
    bIh: [0.1, -0.1, 0.2, -0.2, 0.3, -0.3],
    bHh: [0.05, 0, -0.05, 0.1, 0, -0.1],
    h0: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
    lengths: [3, 1, 0],
  };

  for (const reverse of [false, true]) {
    it(`freezes state and zeroes output at padded steps (reverse: ${reverse})`, () => {
      const backend = new CpuBackend();
      const { y, hN } = runForward(backend, { ...problem, reverse });
      // Sequence 1 has one step, 2 has none: their padded outputs are exactly zero.
      expect(y.slice(6 + 2, 12)).toEqual([0, 0, 0, 0]);
      expect(y.slice(12)).toEqual([0, 0, 0, 0, 0, 0]);
      expect(hN.slice(4)).toEqual([0.5, 0.6]);
      // Each sequence equals the same sequence run alone, truncated to its length.
      const alone = runForward(backend, {
        ...problem,
        reverse,
        batch: 1,
        steps: 1,
        x: problem.x.slice(6, 8),
        h0: [0.3, 0.4],
        lengths: undefined,
      });
      expectClose(y.slice(6, 8), alone.y, 1e-15);
      expectClose(hN.slice(2, 4), alone.hN, 1e-15);
      if (reverse) expectClose(hN.slice(0, 2), y.slice(0, 2), 0);
      else expectClose(hN.slice(0, 2), y.slice(4, 6), 0);
    });
  }
});

describe('RnnForward reserve', () => {
  it('returns an empty reserve outside training, with identical outputs', () => {
    const backend = new CpuBackend();
    const lstm: RnnProblem = {
      ...tinyTanh,
      mode: 'LSTM',
      wIh: [0.1, 0.2, 0.3, 0.4],
      wHh: [0.5, -0.5, 0.25, -0.25],
      bIh: [0, 0, 0, 0],
      bHh: [0, 0, 0, 0],
      c0: [0.2],
    };
    const training = runForward(backend, lstm, 'float64', true);
    const inference = runForward(backend, lstm, 'float64', false);
    expect(training.outputs.reserve.shape).toEqual([1, 2, 5]);
    expect(inference.outputs.reserve.shape).toEqual([0]);
    expect(get(backend, inference.outputs.reserve)).toEqual([]);
    expect(inference.y).toEqual(training.y);
    expect(inference.cN).toEqual(training.cN);
  });

  it('omits cN for the modes without a cell state', () => {
    const { outputs } = runForward(new CpuBackend(), tinyTanh);
    expect('cN' in outputs).toBe(false);
  });
});
