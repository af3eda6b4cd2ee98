/** kernel_names.ts beyond types: PyTorch's recurrent parameter names, written by one function, and its inverse. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRnnParamName, RNN_PARAM_SLOTS, rnnParamNames, ValueError } from './index.js';

describe('rnnParamNames', () => {
  it("writes PyTorch's names, in PyTorch's slot order", () => {
    expect(Object.values(rnnParamNames(0, false))).toEqual([
      'weight_ih_l0',
      'weight_hh_l0',
      'bias_ih_l0',
      'bias_hh_l0',
    ]);
    expect(rnnParamNames(3, true)).toEqual({
      wIh: 'weight_ih_l3_reverse',
      wHh: 'weight_hh_l3_reverse',
      bIh: 'bias_ih_l3_reverse',
      bHh: 'bias_hh_l3_reverse',
    });
  });

  it('refuses a layer that is not a non-negative integer, naming it', () => {
    for (const bad of [-1, 1.5, Number.NaN])
      expect(() => rnnParamNames(bad, false)).toThrow(ValueError);
    expect(() => rnnParamNames(-1, false)).toThrow(/'layer' must be an integer >= 0, got -1/);
  });

  it('parseRnnParamName inverts it, and rejects other names', () => {
    fc.assert(
      fc.property(
        fc.nat(1000),
        fc.boolean(),
        fc.constantFrom(...RNN_PARAM_SLOTS),
        (layer, reverse, slot) => {
          const parsed = parseRnnParamName(rnnParamNames(layer, reverse)[slot]);
          expect(parsed).toEqual({ slot, layer, reverse });
        },
      ),
    );
    for (const other of [
      'weight',
      'weight_ih_l',
      'weight_ih_l01',
      'bias_xx_l0',
      'weight_ih_l0_rev',
    ])
      expect(parseRnnParamName(other), other).toBeUndefined();
  });
});
