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
});
