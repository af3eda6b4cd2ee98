/**
 * The PyTorch golden fixtures for nn's layer tests: loaded once with test-utils' strict parser,
 * and {@link checkFixture}, which runs a layer on one and checks outputs, loss and every
 * gradient. Its own file: shared by the recurrent and bidirectional layer tests.
 */
import { add, dispose, mul, sum, type Tensor, type Variable, valueAndGrads } from '@rnnkit/core';
import { type Fixture, type FixtureTensor, loadFixtures } from '@rnnkit/test-utils';
import { expect } from 'vitest';
import { GRU } from '../src/layers/gru.js';
import { LSTM } from '../src/layers/lstm.js';
import type {
  RecurrentForwardOptions,
  RecurrentLayer,
  RecurrentOutput,
} from '../src/layers/recurrent.js';
import { SimpleRNN } from '../src/layers/simple_rnn.js';
import type { StateDict } from '../src/state_dict.js';
import { expectClose, fromFixture } from './helpers.js';

export type { Fixture } from '@rnnkit/test-utils';

let all: Fixture[] | undefined;

/** Every shared fixture, strictly parsed, sorted by name (read once). */
export function fixtures(): Fixture[] {
  all ??= loadFixtures();
  return all;
}

/** The fixture named `name` (the file name without `.json`). */
export function fixtureNamed(name: string): Fixture {
  const fx = fixtures().find((f) => f.name === name);
  if (!fx) throw new Error(`no fixture named '${name}'`);
  return fx;
}

/** The fixture's parameters as a state dict (PyTorch names, float64 values). */
export function fixtureStateDict(fx: Fixture): StateDict {
  return Object.fromEntries(
    Object.entries(fx.params).map(([name, t]: [string, FixtureTensor]) => [
      name,
      { shape: t.shape, data: t.data },
    ]),
  );
}

/**
 * The nn layer of a fixture's kind and sizes (LSTM, GRU or SimpleRNN with its nonlinearity),
 * seeded, in `dtype` (float64 by default), weights still to be loaded.
 */
export function layerFor(
  fx: Pick<Fixture, 'mode' | 'inputSize' | 'hiddenSize' | 'numLayers' | 'bidirectional'>,
  options: { dtype?: 'float32' | 'float64'; implementation?: 'fused' | 'composed' } = {},
): RecurrentLayer {
  const config = {
    inputSize: fx.inputSize,
    hiddenSize: fx.hiddenSize,
    numLayers: fx.numLayers,
    bidirectional: fx.bidirectional,
    dtype: options.dtype ?? 'float64',
    ...(options.implementation ? { implementation: options.implementation } : {}),
    seed: 0,
  };
  if (fx.mode === 'LSTM') return new LSTM(config);
  if (fx.mode === 'GRU') return new GRU(config);
  return new SimpleRNN({ ...config, nonlinearity: fx.mode === 'RNN_RELU' ? 'relu' : 'tanh' });
}

/** What {@link checkFixture} needs of a layer. */
export interface ForwardLayer {
  forward(x: Tensor, options?: RecurrentForwardOptions): RecurrentOutput;
  namedParameters(): Map<string, Variable>;
  parameters(): Variable[];
  loadStateDict(stateDict: StateDict): void;
}

/**
 * Loads the fixture's weights into `layer`, runs it with the fixture's x, h0, c0 and lengths,
 * and compares output/h_n/c_n (1e-12) and the gradients of the fixture's loss with respect to
 * x, h0, c0 and every parameter (1e-10), all relative to scale.
 */
export function checkFixture(layer: ForwardLayer, fx: Fixture): void {
  expect([...layer.namedParameters().keys()]).toEqual(fx.paramNames);
  layer.loadStateDict(fixtureStateDict(fx));
  const x = fromFixture(fx.x);
  const h0 = fromFixture(fx.h0);
  const c0 = fx.c0 ? fromFixture(fx.c0) : undefined;
  const dy = fromFixture(fx.cotangents.dy);
  const dhN = fromFixture(fx.cotangents.dhN);
  const dcN = fx.cotangents.dcN ? fromFixture(fx.cotangents.dcN) : undefined;
  const run = (): RecurrentOutput =>
    layer.forward(x, {
      initialState: c0 ? { h: h0, c: c0 } : { h: h0 },
      lengths: fx.lengths,
    });

  const out = run();
  expectClose(out.output, fx.outputs.output, 1e-12, 'output');
  expectClose(out.hN, fx.outputs.hN, 1e-12, 'h_n');
  if (fx.outputs.cN) expectClose(out.cN!, fx.outputs.cN, 1e-12, 'c_n');
  dispose(out);

  const wrt: Tensor[] = [x, h0, ...(c0 ? [c0] : []), ...layer.parameters()];
  const { value, grads } = valueAndGrads(() => {
    const r = run();
    let loss = add(sum(mul(r.output, dy)), sum(mul(r.hN, dhN)));
    if (r.cN && dcN) loss = add(loss, sum(mul(r.cN, dcN)));
    return loss;
  })(wrt);
  const expectedLoss = fx.loss;
  expect(expectedLoss, `${fx.name}: the fixture records its loss`).toBeTypeOf('number');
  expect(Math.abs(value.item() - expectedLoss!)).toBeLessThanOrEqual(
    1e-12 * Math.max(1, Math.abs(expectedLoss!)),
  );
  const names = ['x', 'h0', ...(c0 ? ['c0'] : []), ...fx.paramNames];
  names.forEach((n, i) => expectClose(grads[i], fx.grads[n], 1e-10, `grad ${n}`));
  dispose([value, grads, x, h0, c0, dy, dhN, dcN].filter((t) => t !== undefined));
}
