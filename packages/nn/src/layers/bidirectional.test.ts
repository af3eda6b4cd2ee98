/**
 * Tests of the `Bidirectional` wrapper, PyTorch's bidirectional fixtures included.
 */
import {
  add,
  dispose,
  mul,
  reshape,
  slice,
  sum,
  type Tensor,
  tidy,
  ValueError,
  variableGrads,
} from '@rnnkit/core';
import { describe, expect, test } from 'vitest';
import { checkFixture, fixtureNamed } from '../../test/fixture.js';
import { expectClose, expectNoLeak, randomTensor, useCpu } from '../../test/helpers.js';
import { Bidirectional } from './bidirectional.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import type { RecurrentLayer, RecurrentLayerOptions } from './recurrent.js';
import { SimpleRNN } from './simple_rnn.js';

useCpu();

const f64 = { dtype: 'float64' as const };

function half(t: Tensor, d: number, H: number): Tensor {
  const [B, T] = t.shape;
  return slice(t, [0, 0, d * H], [B, T, H]);
}

describe('Bidirectional', () => {
  const cells: Record<string, new (o: RecurrentLayerOptions) => RecurrentLayer> = {
    LSTM,
    GRU,
    RNN_TANH: SimpleRNN,
  };
  for (const file of [
    'lstm_l1_bi.json',
    'lstm_l1_bi_lengths.json',
    'gru_l1_bi.json',
    'rnn_tanh_l1_bi.json',
  ]) {
    for (const implementation of ['fused', 'composed'] as const) {
      test(`concat equals PyTorch bidirectional: ${file} (${implementation})`, () => {
        const fx = fixtureNamed(file.replace(/\.json$/, ''));
        const Cell = cells[fx.mode];
        const layer = new Bidirectional(
          new Cell({
            inputSize: fx.inputSize,
            hiddenSize: fx.hiddenSize,
            implementation,
            seed: 0,
            ...f64,
          }),
        );
        checkFixture(layer, fx);
        layer.dispose();
      });
    }
  }

  test('merge modes sum, mul, ave relate to concat’s halves', () => {
    const H = 4;
    const base = new Bidirectional(new GRU({ inputSize: 3, hiddenSize: H, seed: 1, ...f64 }));
    const x = randomTensor([2, 5, 3], 3);
    const cat = base.forward(x, { lengths: [5, 3] });
    const [f, b] = [half(cat.output, 0, H), half(cat.output, 1, H)];
    const expected: Record<string, Tensor> = {
      sum: add(f, b),
      mul: mul(f, b),
      ave: mul(add(f, b), 0.5),
    };
    for (const mergeMode of ['sum', 'mul', 'ave'] as const) {
      const other = new Bidirectional(new GRU({ inputSize: 3, hiddenSize: H, seed: 2, ...f64 }), {
        mergeMode,
      });
      other.loadStateDict(base.namedParameters());
      expect(other.outputSize).toBe(H);
      const r = other.forward(x, { lengths: [5, 3] });
      expectClose(r.output, expected[mergeMode], 1e-14, mergeMode);
      expectClose(r.hN, cat.hN, 0);
      dispose(r);
      other.dispose();
    }
    expect(base.outputSize).toBe(2 * H);
    dispose([x, cat, f, b, expected]);
    base.dispose();
  });

  test('apply: last output is both directions’ final states; returnState', () => {
    const inner = new LSTM({
      inputSize: 3,
      hiddenSize: 4,
      returnSequences: false,
      returnState: true,
      seed: 1,
      ...f64,
    });
    const bi = new Bidirectional(inner);
    const x = randomTensor([2, 5, 3], 5);
    const [last, hN, cN] = bi.apply(x, { lengths: [5, 2] }) as Tensor[];
    expect(last.shape).toEqual([2, 8]);
    expect(hN.shape).toEqual([2, 2, 4]);
    expect(cN.shape).toEqual([2, 2, 4]);
    const r = bi.forward(x, { lengths: [5, 2] });
    // forward half at each last valid step, backward half at step 0
    expectClose(
      slice(last, [1, 0], [1, 4]),
      reshape(slice(r.output, [1, 1, 0], [1, 1, 4]), [1, 4]),
      0,
    );
    expectClose(
      slice(last, [1, 4], [1, 4]),
      reshape(slice(r.output, [1, 0, 4], [1, 1, 4]), [1, 4]),
      0,
    );
    dispose([x, last, hN, cN, r]);
    bi.dispose();
  });

  test('parameters, paramCount, twin seeding, config', () => {
    const a = new Bidirectional(new SimpleRNN({ inputSize: 3, hiddenSize: 4, seed: 7 }));
    const b = new Bidirectional(new SimpleRNN({ inputSize: 3, hiddenSize: 4, seed: 7 }));
    expect(a.paramCount()).toBe(2 * (4 * (4 + 3) + 2 * 4));
    const vals = (l: Bidirectional) => l.parameters().flatMap((p) => Array.from(p.dataSync()));
    expect(vals(a)).toEqual(vals(b));
    const fw = Array.from(a.namedParameters().get('weight_ih_l0')!.dataSync());
    const bw = Array.from(a.namedParameters().get('weight_ih_l0_reverse')!.dataSync());
    expect(fw).not.toEqual(bw);
    expect(a.getConfig()).toMatchObject({
      className: 'Bidirectional',
      config: { mergeMode: 'concat', layer: { className: 'SimpleRNN' } },
    });
    a.dispose();
    b.dispose();
  });

  test('stateful wrapped layer carries [2, B, H] states', () => {
    const sf = new Bidirectional(
      new GRU({ inputSize: 2, hiddenSize: 3, stateful: true, seed: 1, ...f64 }),
    );
    const x = randomTensor([2, 4, 2], 1);
    const r1 = sf.forward(x);
    const h = sf.getStates()!.h;
    expectClose(h, r1.hN, 0);
    const r2 = sf.forward(x);
    const r3 = sf.forward(x, { initialState: { h: r1.hN } });
    expectClose(r2.output, r3.output, 0);
    sf.resetStates();
    expect(sf.getStates()).toBeUndefined();
    dispose([x, r1, r2, r3]);
    sf.dispose();
  });

  test('refuses stacked, bidirectional or goBackwards layers and bad merge modes', () => {
    const bad = [
      new LSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2 }),
      new LSTM({ inputSize: 2, hiddenSize: 3, bidirectional: true }),
      new LSTM({ inputSize: 2, hiddenSize: 3, goBackwards: true }),
    ];
    for (const l of bad) {
      expect(() => new Bidirectional(l)).toThrow(ValueError);
      l.dispose();
    }
    const ok = new LSTM({ inputSize: 2, hiddenSize: 3 });
    expect(() => new Bidirectional(ok, { mergeMode: 'max' as 'sum' })).toThrow(/mergeMode/);
    expect(() => new Bidirectional({} as RecurrentLayer)).toThrow(ValueError);
    ok.dispose();
  });

  test('wrong initial state shape', () => {
    const bi = new Bidirectional(new LSTM({ inputSize: 2, hiddenSize: 3, ...f64 }));
    const x = randomTensor([2, 4, 2], 1);
    const h = randomTensor([1, 2, 3], 1);
    expect(() => bi.forward(x, { initialState: { h, c: h } })).toThrow(
      /initialState.h' must have shape \[2, 2, 3\], got \[1, 2, 3\]/,
    );
    dispose([x, h]);
    bi.dispose();
  });

  test('no leaks (forward + backward inside tidy)', () => {
    const bi = new Bidirectional(new LSTM({ inputSize: 3, hiddenSize: 4, seed: 1, ...f64 }), {
      mergeMode: 'ave',
    });
    const x = randomTensor([2, 5, 3], 1);
    expectNoLeak(() =>
      tidy(
        () =>
          variableGrads(() => sum(bi.apply(x, { lengths: [3, 5] }) as Tensor), bi.parameters())
            .grads[0],
      ).dispose(),
    );
    x.dispose();
    bi.dispose();
  });
});
