/**
 * Tests of `lossCurveSvg`.
 */
import { describe, expect, it } from 'vitest';
import { lossCurveSvg } from './loss_curve.js';

describe('lossCurveSvg', () => {
  it('draws one polyline per series, falling values going down the page', () => {
    const svg = lossCurveSvg(
      { loss: [2, 1, 0.5], val_loss: [2.1, 1.4, 1.2] },
      { title: 'a <run>' },
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('a &#60;run&#62;');
    const points = /points="([^"]+)"/
      .exec(svg)![1]
      .split(' ')
      .map((p) => p.split(',').map(Number));
    expect(points[0][1]).toBeLessThan(points[2][1]);
  });

  it('refuses empty and non-finite series', () => {
    expect(() => lossCurveSvg({})).toThrow(/no non-empty series/);
    expect(() => lossCurveSvg({ loss: [1, Number.NaN] })).toThrow(
      /'loss' holds a non-finite value/,
    );
  });

  it('on a log scale, equal ratios are equal distances and ticks sit at powers of ten', () => {
    const svg = lossCurveSvg({ norm: [1, 1e-2, 1e-4] }, { logScale: true, yLabel: '‖g‖' });
    const ys = /points="([^"]+)"/
      .exec(svg)![1]
      .split(' ')
      .map((p) => Number(p.split(',')[1]));
    expect(ys[1] - ys[0]).toBeCloseTo(ys[2] - ys[1], 5);
    expect(svg).toContain('>1e-4<');
    expect(svg).toContain('>0.01<');
    expect(svg).toContain('>1<');
    expect(svg).toContain('‖g‖');
  });

  it('refuses values a log scale cannot show, naming the series', () => {
    expect(() => lossCurveSvg({ norm: [1, 0] }, { logScale: true })).toThrow(
      /series 'norm' holds a value <= 0/,
    );
  });

  it('places points at the given x values', () => {
    const svg = lossCurveSvg({ a: [1, 2, 3] }, { x: [0, 10, 100], width: 200 });
    const xs = /points="([^"]+)"/
      .exec(svg)![1]
      .split(' ')
      .map((p) => Number(p.split(',')[0]));
    // plot from x = 64 to 184: 10 is a tenth of the way
    expect(xs).toEqual([64, 76, 184]);
    expect(svg).toContain('>100<');
    expect(() => lossCurveSvg({ a: [1, 2] }, { x: [1] })).toThrow(
      /'x' has 1 values but series 'a' has 2/,
    );
    expect(() => lossCurveSvg({ a: [1, 2] }, { x: [2, 1] })).toThrow(/strictly increasing/);
  });
});
