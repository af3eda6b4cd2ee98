/** Host tensors: construction checks, rounding to the dtype, multi-indices and shape text. */
import { describe, expect, it } from 'vitest';
import { hostTensor, intTensor, rngFor, shapeText, uniformTensor, unravel } from '../src/index.js';

describe('host tensors', () => {
  it('copy values into the dtype, rounding to float32 when asked', () => {
    const t = hostTensor([2], 'float32', [0.1, 2]);
    expect(t.values).toBeInstanceOf(Float32Array);
    expect(t.values[0]).toBe(Math.fround(0.1));
    expect(hostTensor([2], 'float64', [0.1, 2]).values[0]).toBe(0.1);
  });

  it('refuse values that do not fill the shape, naming both', () => {
    expect(() => hostTensor([2, 3], 'float32', [1, 2])).toThrow(
      /2 values do not fill shape \[2, 3\] \(6 elements\)/,
    );
  });

  it('draw the same values from the same seed, within range', () => {
    const a = uniformTensor(rngFor(5), [4, 3], 'float64', -2, 2);
    expect(Array.from(a.values)).toEqual(
      Array.from(uniformTensor(rngFor(5), [4, 3], 'float64', -2, 2).values),
    );
    expect(Array.from(a.values).every((v) => v >= -2 && v < 2)).toBe(true);
    const i = intTensor(rngFor(5), [50], -3, 4);
    expect(Array.from(i.values).every((v) => Number.isInteger(v) && v >= -3 && v < 4)).toBe(true);
  });

  it('unravel flat positions and format shapes', () => {
    expect(unravel(5, [2, 3])).toEqual([1, 2]);
    expect(unravel(0, [])).toEqual([]);
    expect(shapeText([2, 0, 3])).toBe('[2, 0, 3]');
  });
});
