/**
 * Every PyTorch fixture through nn's recurrent layers, fused and composed, outputs and every
 * gradient.
 */
import { describe, expect, test } from 'vitest';
import { checkFixture, fixtures, layerFor } from '../../test/fixture.js';
import { useCpu } from '../../test/helpers.js';

useCpu();

describe('PyTorch fixtures through forward', () => {
  const all = fixtures();

  test('all 23 fixtures are present', () => {
    expect(all.length).toBe(23);
  });

  for (const fx of all) {
    for (const implementation of ['fused', 'composed'] as const) {
      test(`${fx.name}.json (${implementation})`, () => {
        const layer = layerFor(fx, { implementation });
        checkFixture(layer, fx);
        layer.dispose();
      });
    }
  }
});
