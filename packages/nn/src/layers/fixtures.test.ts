/**
 * Every PyTorch fixture through nn's recurrent layers, fused and composed, outputs and every
 * gradient.
 */
import { describe, expect, test } from 'vitest';
import { checkFixture, type Fixture, fixtures } from '../../test/fixture.js';
import { useCpu } from '../../test/helpers.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import type { RecurrentLayer } from './recurrent.js';
import { SimpleRNN } from './simple_rnn.js';

useCpu();

function build(fx: Fixture, implementation: 'fused' | 'composed'): RecurrentLayer {
  const options = {
    inputSize: fx.inputSize,
    hiddenSize: fx.hiddenSize,
    numLayers: fx.numLayers,
    bidirectional: fx.bidirectional,
    dtype: 'float64' as const,
    implementation,
    seed: 0,
  };
  switch (fx.mode) {
    case 'LSTM':
      return new LSTM(options);
    case 'GRU':
      return new GRU(options);
    default:
      return new SimpleRNN({ ...options, nonlinearity: fx.mode === 'RNN_RELU' ? 'relu' : 'tanh' });
  }
}

describe('PyTorch fixtures through forward', () => {
  const all = fixtures();

  test('all 23 fixtures are present', () => {
    expect(all.length).toBe(23);
  });

  for (const fx of all) {
    for (const implementation of ['fused', 'composed'] as const) {
      test(`${fx.name}.json (${implementation})`, () => {
        const layer = build(fx, implementation);
        checkFixture(layer, fx);
        layer.dispose();
      });
    }
  }
});
