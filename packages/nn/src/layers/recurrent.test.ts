/**
 * Tests of the recurrent layers' shared behaviour: parameters, forward and apply, no leaks,
 * errors, typing.
 */
import {
  add,
  DTypeError,
  dispose,
  memory,
  mul,
  Random,
  reshape,
  reverse,
  ShapeError,
  setSeed,
  slice,
  sum,
  type Tensor,
  tensor,
  tidy,
  ValueError,
  valueAndGrads,
  variableGrads,
} from '@rnnkit/core';
import { describe, expect, expectTypeOf, test } from 'vitest';
import { expectClose, expectNoLeak, randomTensor, useCpu } from '../../test/helpers.js';
import { Bidirectional } from './bidirectional.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import {
  type RecurrentLayer,
  type RecurrentLayerOptions,
  recurrentParamCount,
} from './recurrent.js';
import { SimpleRNN } from './simple_rnn.js';

useCpu();

type Ctor = new (o: RecurrentLayerOptions) => RecurrentLayer;
const CELLS: [string, Ctor, number][] = [
  ['SimpleRNN', SimpleRNN, 1],
  ['LSTM', LSTM, 4],
  ['GRU', GRU, 3],
];
const f64 = { dtype: 'float64' as const };

function stateFor(layer: RecurrentLayer, B: number, seed: number): { h: Tensor; c?: Tensor } {
  const shape = [layer.numLayers * layer.numDirections, B, layer.hiddenSize];
  const h = randomTensor(shape, seed);
  return layer.mode === 'LSTM' ? { h, c: randomTensor(shape, seed + 1) } : { h };
}

describe('paramCount', () => {
  for (const [name, Cell, G] of CELLS) {
    test(`${name}: G·(h·(h+x) + 2h) per layer and direction`, () => {
      const x = 5;
      const h = 7;
      const one = new Cell({ inputSize: x, hiddenSize: h, seed: 0 });
      expect(one.paramCount()).toBe(G * (h * (h + x) + 2 * h));
      expect(one.paramCount()).toBe(
        recurrentParamCount({ mode: one.mode, inputSize: x, hiddenSize: h }),
      );
      const deep = new Cell({
        inputSize: x,
        hiddenSize: h,
        numLayers: 3,
        bidirectional: true,
        seed: 0,
      });
      const expected = 2 * G * (h * (h + x) + 2 * h) + 2 * 2 * G * (h * (h + 2 * h) + 2 * h);
      expect(deep.paramCount()).toBe(expected);
      expect(
        recurrentParamCount({
          mode: deep.mode,
          inputSize: x,
          hiddenSize: h,
          numLayers: 3,
          bidirectional: true,
        }),
      ).toBe(expected);
      expect(deep.parameters().reduce((n, p) => n + p.size, 0)).toBe(expected);
      one.dispose();
      deep.dispose();
    });
  }

  test('SimpleRNN is h·(h+x)+h plus PyTorch’s second bias h', () => {
    const rnn = new SimpleRNN({ inputSize: 3, hiddenSize: 4, seed: 0 });
    expect(rnn.paramCount()).toBe(4 * (4 + 3) + 4 + 4);
    rnn.dispose();
  });
});

describe('parameters', () => {
  test('PyTorch names, order and shapes', () => {
    const lstm = new LSTM({
      inputSize: 3,
      hiddenSize: 4,
      numLayers: 2,
      bidirectional: true,
      seed: 0,
    });
    const shapes = Object.fromEntries(
      [...lstm.namedParameters()].map(([n, v]) => [n, [...v.shape]]),
    );
    expect(Object.keys(shapes)).toEqual([
      'weight_ih_l0',
      'weight_hh_l0',
      'bias_ih_l0',
      'bias_hh_l0',
      'weight_ih_l0_reverse',
      'weight_hh_l0_reverse',
      'bias_ih_l0_reverse',
      'bias_hh_l0_reverse',
      'weight_ih_l1',
      'weight_hh_l1',
      'bias_ih_l1',
      'bias_hh_l1',
      'weight_ih_l1_reverse',
      'weight_hh_l1_reverse',
      'bias_ih_l1_reverse',
      'bias_hh_l1_reverse',
    ]);
    expect(shapes.weight_ih_l0).toEqual([16, 3]);
    expect(shapes.weight_hh_l0).toEqual([16, 4]);
    expect(shapes.bias_ih_l0).toEqual([16]);
    expect(shapes.weight_ih_l1).toEqual([16, 8]);
    expect(lstm.parameters().map((p) => p.name)[0]).toBe(`${lstm.name}/weight_ih_l0`);
    lstm.dispose();
  });

  test('same seed ⇒ same weights; another seed ⇒ other weights; rng and global generator', () => {
    const values = (l: RecurrentLayer) => l.parameters().flatMap((p) => Array.from(p.dataSync()));
    const a = new GRU({ inputSize: 3, hiddenSize: 4, numLayers: 2, seed: 42 });
    const b = new GRU({ inputSize: 3, hiddenSize: 4, numLayers: 2, seed: 42 });
    const c = new GRU({ inputSize: 3, hiddenSize: 4, numLayers: 2, seed: 43 });
    const d = new GRU({ inputSize: 3, hiddenSize: 4, numLayers: 2, rng: new Random(42) });
    expect(values(a)).toEqual(values(b));
    expect(values(a)).toEqual(values(d));
    expect(values(a)).not.toEqual(values(c));
    setSeed(7);
    const e = new GRU({ inputSize: 3, hiddenSize: 4 });
    setSeed(7);
    const f = new GRU({ inputSize: 3, hiddenSize: 4 });
    expect(values(e)).toEqual(values(f));
    // PyTorch's default: uniform in ±1/√H.
    expect(values(a).every((v) => Math.abs(v) <= 0.5)).toBe(true);
    for (const l of [a, b, c, d, e, f]) l.dispose();
  });

  test('initializer options', () => {
    const lstm = new LSTM({
      inputSize: 3,
      hiddenSize: 4,
      seed: 1,
      kernelInitializer: 'glorotUniform',
      recurrentInitializer: 'orthogonal',
      biasInitializer: 'zeros',
      ...f64,
    });
    const p = lstm.namedParameters();
    const limit = Math.sqrt(6 / (3 + 16));
    expect(Array.from(p.get('weight_ih_l0')!.dataSync()).every((v) => Math.abs(v) <= limit)).toBe(
      true,
    );
    expect(Array.from(p.get('bias_hh_l0')!.dataSync()).every((v) => v === 0)).toBe(true);
    // each 4×4 gate block of weight_hh is orthogonal
    const w = p.get('weight_hh_l0')!.dataSync();
    for (let g = 0; g < 4; g++) {
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          let dot = 0;
          for (let k = 0; k < 4; k++) dot += w[(g * 4 + i) * 4 + k] * w[(g * 4 + j) * 4 + k];
          expect(dot).toBeCloseTo(i === j ? 1 : 0, 10);
        }
      }
    }
    expect(lstm.getConfig().config.recurrentInitializer).toBe('orthogonal');
    lstm.dispose();
  });
});

describe('forward and apply semantics', () => {
  test('returnSequences false returns the output at each sequence’s last valid step', () => {
    for (const [, Cell] of CELLS) {
      const layer = new Cell({
        inputSize: 3,
        hiddenSize: 4,
        numLayers: 2,
        returnSequences: false,
        seed: 3,
        ...f64,
      });
      const x = randomTensor([3, 5, 3], 9);
      const lengths = [5, 2, 4];
      const last = layer.apply(x, { lengths }) as Tensor;
      const { output } = layer.forward(x, { lengths });
      expect(last.shape).toEqual([3, 4]);
      lengths.forEach((len, b) => {
        const atLast = reshape(slice(output, [b, len - 1, 0], [1, 1, 4]), [1, 4]);
        expectClose(slice(last, [b, 0], [1, 4]), atLast, 0);
      });
      dispose([x, last, output]);
      layer.dispose();
    }
  });

  test('returnState returns [output, hN, cN] (LSTM) and [output, hN] otherwise', () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, returnState: true, seed: 1, ...f64 });
    const gru = new GRU({
      inputSize: 3,
      hiddenSize: 4,
      numLayers: 2,
      returnState: true,
      returnSequences: false,
      seed: 1,
      ...f64,
    });
    const x = randomTensor([2, 3, 3], 2);
    const a = lstm.apply(x) as Tensor[];
    expect(a.map((t) => [...t.shape])).toEqual([
      [2, 3, 4],
      [1, 2, 4],
      [1, 2, 4],
    ]);
    const b = gru.apply(x) as Tensor[];
    expect(b.map((t) => [...t.shape])).toEqual([
      [2, 4],
      [2, 2, 4],
    ]);
    expectClose(b[0], reshape(slice(b[1], [1, 0, 0], [1, 2, 4]), [2, 4]), 0);
    dispose([x, a, b]);
    lstm.dispose();
    gru.dispose();
  });

  test('goBackwards equals running on the time-reversed input', () => {
    for (const [, Cell] of CELLS) {
      const back = new Cell({
        inputSize: 3,
        hiddenSize: 4,
        numLayers: 2,
        goBackwards: true,
        seed: 5,
        ...f64,
      });
      const fwd = new Cell({ inputSize: 3, hiddenSize: 4, numLayers: 2, seed: 6, ...f64 });
      fwd.loadStateDict(back.namedParameters());
      const x = randomTensor([2, 5, 3], 4);
      const xr = reverse(x, 1);
      const a = back.forward(x);
      const b = fwd.forward(xr);
      expectClose(a.output, b.output, 1e-13);
      expectClose(a.hN, b.hN, 1e-13);
      // with lengths: processing runs from each sequence's last valid step; outputs reversed in time.
      const c = back.forward(x, { lengths: [5, 3] });
      const x1 = slice(x, [1, 0, 0], [1, 3, 3]);
      const d = fwd.forward(reverse(x1, 1));
      expectClose(slice(c.hN, [0, 1, 0], [2, 1, 4]), d.hN, 1e-13);
      expectClose(slice(c.output, [1, 2, 0], [1, 3, 4]), d.output, 1e-13);
      expect(
        Array.from(slice(c.output, [1, 0, 0], [1, 2, 4]).dataSync()).every((v) => v === 0),
      ).toBe(true);
      dispose([x, xr, a, b, c, d, x1]);
      back.dispose();
      fwd.dispose();
    }
  });

  test('padded steps neither change the state nor receive gradient', () => {
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, bidirectional: true, seed: 8, ...f64 });
    const x = randomTensor([2, 6, 3], 1);
    const x1 = slice(x, [1, 0, 0], [1, 4, 3]);
    const full = lstm.forward(x1);
    const padded = lstm.forward(x, { lengths: [6, 4] });
    expectClose(slice(padded.output, [1, 0, 0], [1, 4, 8]), full.output, 1e-13);
    expectClose(slice(padded.hN, [0, 1, 0], [2, 1, 4]), full.hN, 1e-13);
    expect(
      Array.from(slice(padded.output, [1, 4, 0], [1, 2, 8]).dataSync()).every((v) => v === 0),
    ).toBe(true);
    for (const implementation of ['fused', 'composed'] as const) {
      const layer = new LSTM({
        inputSize: 3,
        hiddenSize: 4,
        bidirectional: true,
        implementation,
        seed: 8,
        ...f64,
      });
      const { value, grads } = valueAndGrads((xi: Tensor) => {
        const r = layer.forward(xi, { lengths: [6, 4] });
        return add(sum(mul(r.output, r.output)), sum(r.hN));
      })([x]);
      const gPad = slice(grads[0], [1, 4, 0], [1, 2, 3]);
      expect(Array.from(gPad.dataSync()).every((v) => v === 0)).toBe(true);
      expect(
        Array.from(slice(grads[0], [1, 0, 0], [1, 4, 3]).dataSync()).some((v) => v !== 0),
      ).toBe(true);
      dispose([value, grads, gPad]);
      layer.dispose();
    }
    dispose([x, x1, full, padded]);
    lstm.dispose();
  });

  test('a mask is equivalent to lengths; a non-prefix mask is a ValueError', () => {
    const gru = new GRU({ inputSize: 2, hiddenSize: 3, seed: 2, ...f64 });
    const x = randomTensor([2, 4, 2], 3);
    const mask = tensor(
      [
        [1, 1, 1, 0],
        [1, 1, 0, 0],
      ],
      [2, 4],
      'float64',
    );
    const a = gru.forward(x, { mask });
    const b = gru.forward(x, { lengths: tensor([3, 2], [2], 'int32') });
    expectClose(a.output, b.output, 0);
    expectClose(a.hN, b.hN, 0);
    const bad = tensor(
      [
        [1, 0, 1, 0],
        [1, 1, 0, 0],
      ],
      [2, 4],
      'float64',
    );
    expect(() => gru.forward(x, { mask: bad })).toThrow(ValueError);
    expect(() => gru.forward(x, { mask: bad })).toThrow(/prefix mask.*row 0/);
    expect(() => gru.forward(x, { mask, lengths: [1, 1] })).toThrow(ValueError);
    dispose([x, mask, a, b, bad]);
    gru.dispose();
  });

  test('stateful: two half-sequence calls equal one full call; resetStates; batch change is an error', () => {
    for (const [, Cell] of CELLS) {
      const sf = new Cell({
        inputSize: 2,
        hiddenSize: 3,
        numLayers: 2,
        stateful: true,
        seed: 4,
        ...f64,
      });
      const plain = new Cell({ inputSize: 2, hiddenSize: 3, numLayers: 2, seed: 5, ...f64 });
      plain.loadStateDict(sf.namedParameters());
      const x = randomTensor([2, 6, 2], 7);
      const whole = plain.forward(x);
      const first = sf.forward(slice(x, [0, 0, 0], [2, 3, 2]));
      dispose(first);
      const second = sf.forward(slice(x, [0, 3, 0], [2, 3, 2]));
      expectClose(second.output, slice(whole.output, [0, 3, 0], [2, 3, 3]), 1e-13);
      expectClose(second.hN, whole.hN, 1e-13);
      expectClose(sf.getStates()!.h, whole.hN, 1e-13);
      expect(() => sf.forward(randomTensor([3, 2, 2], 1))).toThrow(ShapeError);
      expect(() => sf.forward(randomTensor([3, 2, 2], 1))).toThrow(
        /batch size 2.*batch size 3.*resetStates/,
      );
      sf.resetStates();
      expect(sf.getStates()).toBeUndefined();
      const again = sf.forward(slice(x, [0, 0, 0], [2, 3, 2]));
      expectClose(again.output, slice(whole.output, [0, 0, 0], [2, 3, 3]), 1e-13);
      dispose([x, whole, second, again]);
      sf.dispose();
      plain.dispose();
    }
  });

  test('numLayers: 2 equals composing two single-layer layers', () => {
    const deep = new LSTM({
      inputSize: 3,
      hiddenSize: 4,
      numLayers: 2,
      bidirectional: true,
      seed: 1,
      ...f64,
    });
    const l0 = new LSTM({ inputSize: 3, hiddenSize: 4, bidirectional: true, seed: 2, ...f64 });
    const l1 = new LSTM({ inputSize: 8, hiddenSize: 4, bidirectional: true, seed: 3, ...f64 });
    const p = deep.namedParameters();
    l0.loadStateDict(
      Object.fromEntries([...l0.namedParameters().keys()].map((n) => [n, p.get(n)!])),
    );
    l1.loadStateDict(
      Object.fromEntries(
        [...l1.namedParameters().keys()].map((n) => [n, p.get(n.replace('_l0', '_l1'))!]),
      ),
    );
    const x = randomTensor([2, 5, 3], 11);
    const a = deep.forward(x, { lengths: [5, 3] });
    const b0 = l0.forward(x, { lengths: [5, 3] });
    const b1 = l1.forward(b0.output, { lengths: [5, 3] });
    expectClose(a.output, b1.output, 1e-13);
    expectClose(slice(a.hN, [2, 0, 0], [2, 2, 4]), b1.hN, 1e-13);
    dispose([x, a, b0, b1]);
    for (const l of [deep, l0, l1]) l.dispose();
  });

  test('inter-layer dropout acts only when training, reproducibly per seed', () => {
    const mk = () =>
      new GRU({ inputSize: 3, hiddenSize: 4, numLayers: 2, dropout: 0.5, seed: 9, ...f64 });
    const a = mk();
    const b = mk();
    const x = randomTensor([2, 4, 3], 1);
    const evalA = a.forward(x);
    const evalB = b.forward(x, { training: false });
    expectClose(evalA.output, evalB.output, 0);
    const trA = a.forward(x, { training: true });
    const trB = b.forward(x, { training: true });
    expectClose(trA.output, trB.output, 0);
    expect(Array.from(trA.output.dataSync())).not.toEqual(Array.from(evalA.output.dataSync()));
    dispose([x, evalA, evalB, trA, trB]);
    a.dispose();
    b.dispose();
  });

  test('fused and composed agree in float32', () => {
    const a = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, seed: 1 });
    const b = new LSTM({
      inputSize: 3,
      hiddenSize: 4,
      numLayers: 2,
      bidirectional: true,
      seed: 1,
      implementation: 'composed',
    });
    const x = randomTensor([2, 5, 3], 2, 'float32');
    const ra = a.forward(x, { lengths: [4, 5] });
    const rb = b.forward(x, { lengths: [4, 5] });
    expectClose(ra.output, rb.output, 1e-5);
    expectClose(ra.cN!, rb.cN!, 1e-5);
    dispose([x, ra, rb]);
    a.dispose();
    b.dispose();
  });

  test('getConfig', () => {
    const rnn = new SimpleRNN({
      inputSize: 3,
      hiddenSize: 4,
      nonlinearity: 'relu',
      seed: 3,
      name: 'my_rnn',
    });
    expect(rnn.getConfig()).toMatchObject({
      className: 'SimpleRNN',
      config: {
        name: 'my_rnn',
        inputSize: 3,
        hiddenSize: 4,
        numLayers: 1,
        nonlinearity: 'relu',
        seed: 3,
        dtype: 'float32',
      },
    });
    expect(JSON.parse(JSON.stringify(rnn.getConfig()))).toEqual(rnn.getConfig());
    rnn.dispose();
  });
});

describe('no leaks', () => {
  for (const [name, Cell] of CELLS) {
    for (const implementation of ['fused', 'composed'] as const) {
      test(`${name} (${implementation}): forward + backward inside tidy`, () => {
        const layer = new Cell({
          inputSize: 3,
          hiddenSize: 4,
          numLayers: 2,
          bidirectional: true,
          dropout: 0.3,
          implementation,
          seed: 1,
          ...f64,
        });
        const x = randomTensor([2, 5, 3], 1);
        const init = stateFor(layer, 2, 3);
        expectNoLeak(() =>
          tidy(() => {
            const { grads } = variableGrads(() => {
              const r = layer.forward(x, { initialState: init, lengths: [5, 2], training: true });
              return r.cN
                ? add(sum(r.output), sum(mul(r.cN, r.cN)))
                : add(sum(r.output), sum(r.hN));
            }, layer.parameters());
            return grads[0];
          }).dispose(),
        );
        const mask = tensor(
          [
            [1, 1, 0, 0, 0],
            [1, 1, 1, 1, 1],
          ],
          [2, 5],
          'float64',
        );
        expectNoLeak(() => dispose(layer.apply(x, { mask })));
        mask.dispose();
        const before = memory().numTensors;
        dispose([x, init]);
        layer.dispose();
        expect(memory().numTensors).toBe(before - 2 - (init.c ? 1 : 0) - layer.parameters().length);
      });
    }
  }

  test('stateful layer holds exactly its states', () => {
    const lstm = new LSTM({ inputSize: 2, hiddenSize: 3, stateful: true, seed: 1 });
    const x = randomTensor([2, 3, 2], 1, 'float32');
    dispose(lstm.forward(x));
    expectNoLeak(() => dispose(lstm.forward(x)));
    expectNoLeak(() =>
      tidy(
        () => variableGrads(() => sum(lstm.forward(x).output), lstm.parameters()).grads[0],
      ).dispose(),
    );
    const before = memory().numTensors;
    lstm.resetStates();
    expect(memory().numTensors).toBe(before - 2);
    x.dispose();
    lstm.dispose();
  });
});

describe('errors', () => {
  const gru = () => new GRU({ inputSize: 3, hiddenSize: 4, numLayers: 2, seed: 0, ...f64 });

  test('wrong input rank or feature size', () => {
    const layer = gru();
    const x2 = randomTensor([2, 3], 1);
    const xBad = randomTensor([2, 5, 4], 1);
    expect(() => layer.forward(x2)).toThrow(ShapeError);
    expect(() => layer.forward(x2)).toThrow(
      /argument 'x' must have shape \[batch, steps, 3\], got \[2, 3\]/,
    );
    expect(() => layer.forward(xBad)).toThrow(
      /argument 'x' must have shape \[batch, steps, 3\], got \[2, 5, 4\]/,
    );
    expect(() => layer.forward(randomTensor([2, 5, 3], 1, 'float32'))).toThrow(DTypeError);
    expect(() => layer.forward([1, 2] as unknown as Tensor)).toThrow(ValueError);
    layer.dispose();
  });

  test('wrong initialState shape or kind', () => {
    const layer = gru();
    const x = randomTensor([2, 5, 3], 1);
    expect(() => layer.forward(x, { initialState: { h: randomTensor([1, 2, 4], 1) } })).toThrow(
      ShapeError,
    );
    expect(() => layer.forward(x, { initialState: { h: randomTensor([1, 2, 4], 1) } })).toThrow(
      /initialState.h' must have shape \[2, 2, 4\], got \[1, 2, 4\]/,
    );
    expect(() =>
      layer.forward(x, {
        initialState: { h: randomTensor([2, 2, 4], 1), c: randomTensor([2, 2, 4], 1) },
      }),
    ).toThrow(/only for an LSTM/);
    const lstm = new LSTM({ inputSize: 3, hiddenSize: 4, seed: 0, ...f64 });
    expect(() => lstm.forward(x, { initialState: { h: randomTensor([1, 2, 4], 1) } })).toThrow(
      /initialState.c' is required/,
    );
    expect(() =>
      lstm.forward(x, {
        initialState: { h: randomTensor([1, 2, 4], 1), c: randomTensor([1, 3, 4], 1) },
      }),
    ).toThrow(/initialState.c' must have shape \[1, 2, 4\], got \[1, 3, 4\]/);
    layer.dispose();
    lstm.dispose();
  });

  test('bad lengths', () => {
    const layer = gru();
    const x = randomTensor([2, 5, 3], 1);
    expect(() => layer.forward(x, { lengths: [5] })).toThrow(ShapeError);
    expect(() => layer.forward(x, { lengths: [5, 6] })).toThrow(
      /lengths\[1\] is 6; expected an integer in \[0, 5\]/,
    );
    expect(() => layer.forward(x, { lengths: tensor([1, 2], [2], 'float64') })).toThrow(DTypeError);
    expect(() => layer.forward(x, { mask: tensor([1, 1], [2], 'float64') })).toThrow(
      /mask' must have shape \[2, 5\]/,
    );
    layer.dispose();
  });

  test('bad options', () => {
    expect(() => new LSTM({ inputSize: 0, hiddenSize: 4 })).toThrow(
      /option 'inputSize' must be a positive integer, got 0/,
    );
    expect(() => new LSTM({ inputSize: 2, hiddenSize: 4.5 })).toThrow(ValueError);
    expect(() => new LSTM({ inputSize: 2, hiddenSize: 4, dropout: 1 })).toThrow(/option 'dropout'/);
    expect(() => new LSTM({ inputSize: 2, hiddenSize: 4, dtype: 'int32' as 'float32' })).toThrow(
      /option 'dtype'/,
    );
    expect(
      () => new LSTM({ inputSize: 2, hiddenSize: 4, implementation: 'fast' as 'fused' }),
    ).toThrow(/option 'implementation'/);
    expect(
      () => new LSTM({ inputSize: 2, hiddenSize: 4, goBackwards: true, bidirectional: true }),
    ).toThrow(ValueError);
    expect(
      () => new LSTM({ inputSize: 2, hiddenSize: 4, kernelInitializer: 'he' as 'zeros' }),
    ).toThrow(/kernelInitializer/);
    expect(
      () => new SimpleRNN({ inputSize: 2, hiddenSize: 4, nonlinearity: 'sigmoid' as 'tanh' }),
    ).toThrow(/nonlinearity/);
  });

  test('use after dispose', () => {
    const layer = gru();
    layer.dispose();
    expect(() => layer.forward(randomTensor([1, 1, 3], 1))).toThrow(/disposed/);
  });
});

describe('apply and forward are typed by returnState', () => {
  test('a plain call is a Tensor; returnState gives the tuple; an LSTM cN is never optional', () => {
    const x = tensor(new Float32Array(2 * 3 * 2), [2, 3, 2]);
    const plain = new LSTM({ inputSize: 2, hiddenSize: 3, seed: 0 });
    expectTypeOf(plain.apply(x)).toEqualTypeOf<Tensor>();
    expectTypeOf(plain.forward(x).cN).toEqualTypeOf<Tensor>();
    const withState = new LSTM({ inputSize: 2, hiddenSize: 3, returnState: true, seed: 0 });
    const [output, hN, cN] = withState.apply(x);
    expectTypeOf(withState.apply(x)).toEqualTypeOf<[output: Tensor, hN: Tensor, cN: Tensor]>();
    expect([output.shape, hN.shape, cN.shape]).toEqual([
      [2, 3, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
    const gru = new GRU({ inputSize: 2, hiddenSize: 3, returnState: true, returnSequences: false });
    expectTypeOf(gru.apply(x)).toEqualTypeOf<[output: Tensor, hN: Tensor]>();
    expect(gru.apply(x)).toHaveLength(2);
    const bi = new Bidirectional(new SimpleRNN({ inputSize: 2, hiddenSize: 3 }));
    expectTypeOf(bi.apply(x)).toEqualTypeOf<Tensor>();
  });
});

describe('bias: false (PyTorch bias=False)', () => {
  test('no bias parameters; outputs and gradients equal a layer whose biases are zero', () => {
    for (const Layer of [LSTM, GRU, SimpleRNN] as const) {
      const plain = new Layer({
        inputSize: 3,
        hiddenSize: 4,
        numLayers: 2,
        bidirectional: true,
        bias: false,
        dtype: 'float64',
        seed: 1,
      });
      const names = [...plain.namedParameters().keys()];
      expect(names.some((n) => n.startsWith('bias'))).toBe(false);
      const mode = plain.mode;
      expect(plain.paramCount()).toBe(
        recurrentParamCount({
          mode,
          inputSize: 3,
          hiddenSize: 4,
          numLayers: 2,
          bidirectional: true,
          bias: false,
        }),
      );
      expect(plain.getConfig().config.bias).toBe(false);
      const withBias = new Layer({
        inputSize: 3,
        hiddenSize: 4,
        numLayers: 2,
        bidirectional: true,
        dtype: 'float64',
        seed: 2,
      });
      const sd = plain.stateDict();
      for (const [name, v] of withBias.namedParameters())
        if (name.startsWith('bias'))
          sd[name] = { shape: [...v.shape], data: new Float64Array(v.size) };
      withBias.loadStateDict(sd);
      const x = randomTensor([2, 5, 3]);
      expectClose(
        plain.forward(x, { lengths: [5, 2] }).output,
        withBias.forward(x, { lengths: [5, 2] }).output,
        1e-14,
      );
      const g = variableGrads(() => sum(plain.forward(x).output), plain.parameters());
      const gb = variableGrads(() => sum(withBias.forward(x).output), withBias.parameters());
      const byName = new Map(
        [...withBias.namedParameters().keys()].map((n, i) => [n, gb.grads[i]]),
      );
      names.forEach((n, i) => expectClose(g.grads[i], byName.get(n)!, 1e-12, n));
    }
  });
});
