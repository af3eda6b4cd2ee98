/**
 * Tests of the geometry helpers backends share: axis splits, strides, offsets and output shapes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sizeOf, stridesOf } from '../types.js';
import { splitAtAxis } from './axis.js';
import { concatOutShape } from './concat.js';
import { gatherOutShape } from './gather.js';
import { matMulGeometry } from './matmul.js';
import { padOutShape } from './pad.js';
import { reduceOutShape } from './reduce.js';
import { rnnSizes, rnnStepAt } from './rnn.js';
import { broadcastStrides, flatOffset, reverseStrides } from './strides.js';
import { transposeOutShape } from './transpose.js';

/** Every multi-index of `shape` in row-major order. */
function* indices(shape: readonly number[]): Generator<number[]> {
  if (sizeOf(shape) === 0) return;
  const index = new Array<number>(shape.length).fill(0);
  while (true) {
    yield [...index];
    let axis = shape.length - 1;
    while (axis >= 0 && ++index[axis] === shape[axis]) index[axis--] = 0;
    if (axis < 0) return;
  }
}

const smallShape = (maxRank = 4) =>
  fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: maxRank });

describe('splitAtAxis', () => {
  it('splits a shape into outer, extent and inner', () => {
    expect(splitAtAxis([2, 3, 4, 5], 1)).toEqual({ outer: 2, extent: 3, inner: 20 });
    expect(splitAtAxis([2, 3, 4, 5], 0)).toEqual({ outer: 1, extent: 2, inner: 60 });
    expect(splitAtAxis([2, 3, 4, 5], 3)).toEqual({ outer: 24, extent: 5, inner: 1 });
    expect(splitAtAxis([7], 0)).toEqual({ outer: 1, extent: 7, inner: 1 });
  });

  it('places element (o, a, i) at (o * extent + a) * inner + i', () => {
    fc.assert(
      fc.property(
        smallShape().filter((s) => s.length > 0),
        fc.nat(),
        (shape, pick) => {
          const axis = pick % shape.length;
          const { outer, extent, inner } = splitAtAxis(shape, axis);
          expect(outer * extent * inner).toBe(sizeOf(shape));
          const strides = stridesOf(shape);
          for (const index of indices(shape)) {
            const o = flatOffset(index.slice(0, axis), strides.slice(0, axis)) / (extent * inner);
            const i = flatOffset(index.slice(axis + 1), strides.slice(axis + 1));
            expect((o * extent + index[axis]) * inner + i).toBe(flatOffset(index, strides));
          }
        },
      ),
    );
  });
});

describe('broadcastStrides', () => {
  it('gives stride 0 to missing and size-1 axes', () => {
    expect(broadcastStrides([3, 1], [2, 3, 4])).toEqual([0, 1, 0]);
    expect(broadcastStrides([2, 3, 4], [2, 3, 4])).toEqual([12, 4, 1]);
    expect(broadcastStrides([], [2, 3])).toEqual([0, 0]);
    expect(broadcastStrides([1, 4], [3, 4])).toEqual([0, 1]);
  });

  it('reads the operand element NumPy broadcasting pairs with each output element', () => {
    fc.assert(
      fc.property(smallShape(), fc.array(fc.boolean(), { maxLength: 4 }), (out, ones) => {
        // An operand of the trailing axes of `out`, some of them set to 1.
        const inShape = out.slice(out.length - Math.min(out.length, ones.length));
        const operand = inShape.map((d, i) => (ones[i] ? 1 : d));
        const strides = broadcastStrides(operand, out);
        const own = stridesOf(operand);
        const lead = out.length - operand.length;
        for (const index of indices(out)) {
          const source = operand.map((d, i) => (d === 1 ? 0 : index[lead + i]));
          expect(flatOffset(index, strides)).toBe(flatOffset(source, own));
        }
      }),
    );
  });
});

describe('flatOffset', () => {
  it('sums index times stride and treats missing trailing entries as 0', () => {
    expect(flatOffset([1, 2, 3], [12, 4, 1])).toBe(23);
    expect(flatOffset([1], [12, 4, 1])).toBe(12);
    expect(flatOffset([], [3, 1])).toBe(0);
  });
});

describe('reverseStrides', () => {
  it('negates the strides of the reversed axes and starts at their far end', () => {
    expect(reverseStrides([2, 3], [1])).toEqual({ strides: [3, -1], offset: 2 });
    expect(reverseStrides([2, 3], [0, 1])).toEqual({ strides: [-3, -1], offset: 5 });
    expect(reverseStrides([2, 3], [])).toEqual({ strides: [3, 1], offset: 0 });
  });

  it('reverses an axis listed twice once and leaves empty axes alone', () => {
    expect(reverseStrides([2, 3], [1, 1])).toEqual({ strides: [3, -1], offset: 2 });
    expect(reverseStrides([0, 3], [0])).toEqual({ strides: [3, 1], offset: 0 });
  });

  it('reads element index of the output at the mirrored input position', () => {
    fc.assert(
      fc.property(smallShape(), fc.array(fc.nat(), { maxLength: 4 }), (shape, picks) => {
        const axes = shape.length === 0 ? [] : picks.map((p) => p % shape.length);
        const { strides, offset } = reverseStrides(shape, axes);
        const own = stridesOf(shape);
        for (const index of indices(shape)) {
          const mirrored = index.map((v, d) => (axes.includes(d) ? shape[d] - 1 - v : v));
          expect(offset + flatOffset(index, strides)).toBe(flatOffset(mirrored, own));
        }
      }),
    );
  });
});

describe('matMulGeometry', () => {
  it('reads m, k, n through the transposes', () => {
    for (const [tA, tB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const a = tA ? [3, 2] : [2, 3];
      const b = tB ? [5, 3] : [3, 5];
      const g = matMulGeometry(a, b, tA, tB);
      expect([g.m, g.k, g.n]).toEqual([2, 3, 5]);
      expect([g.aRows, g.aCols, g.bRows, g.bCols]).toEqual([...a, ...b]);
      expect([g.batch, g.aBatch, g.bBatch]).toEqual([1, 1, 1]);
      expect(g.outShape).toEqual([2, 5]);
    }
  });

  it('broadcasts a batch of 1 on either side', () => {
    expect(matMulGeometry([4, 2, 3], [1, 5, 3], false, true)).toEqual({
      m: 2,
      k: 3,
      n: 5,
      batch: 4,
      aBatch: 4,
      bBatch: 1,
      aRows: 2,
      aCols: 3,
      bRows: 5,
      bCols: 3,
      outShape: [4, 2, 5],
    });
    const g = matMulGeometry([1, 3, 2], [6, 3, 4], true, false);
    expect([g.batch, g.aBatch, g.bBatch, g.m, g.k, g.n]).toEqual([6, 1, 6, 2, 3, 4]);
    expect(g.outShape).toEqual([6, 2, 4]);
  });

  it('handles empty extents', () => {
    expect(matMulGeometry([0, 3], [3, 4], false, false).outShape).toEqual([0, 4]);
    expect(matMulGeometry([2, 0], [0, 4], false, false).k).toBe(0);
  });
});

describe('reduceOutShape', () => {
  it('keeps reduced axes as 1 or drops them', () => {
    expect(reduceOutShape([2, 3, 4], [1], true)).toEqual([2, 1, 4]);
    expect(reduceOutShape([2, 3, 4], [1], false)).toEqual([2, 4]);
    expect(reduceOutShape([2, 3, 4], [0, 2], false)).toEqual([3]);
    expect(reduceOutShape([2, 3, 4], [], false)).toEqual([2, 3, 4]);
    expect(reduceOutShape([2, 3], [0, 1], false)).toEqual([]);
    expect(reduceOutShape([2, 3], [0, 1], true)).toEqual([1, 1]);
  });
});

describe('output shapes of the layout kernels', () => {
  it('concatOutShape sums the joined axis', () => {
    expect(
      concatOutShape(
        [
          [2, 3],
          [2, 5],
          [2, 0],
        ],
        1,
      ),
    ).toEqual([2, 8]);
    expect(concatOutShape([[1, 4]], 0)).toEqual([1, 4]);
  });

  it('gatherOutShape splices the indices shape in at the axis', () => {
    expect(gatherOutShape([10, 4], [2, 3], 0)).toEqual([2, 3, 4]);
    expect(gatherOutShape([2, 10, 4], [5], 1)).toEqual([2, 5, 4]);
    expect(gatherOutShape([2, 10], [], 1)).toEqual([2]);
  });

  it('padOutShape grows each axis by its paddings', () => {
    expect(
      padOutShape(
        [2, 3],
        [
          [1, 0],
          [2, 2],
        ],
      ),
    ).toEqual([3, 7]);
    expect(padOutShape([], [])).toEqual([]);
  });

  it('transposeOutShape permutes the extents', () => {
    expect(transposeOutShape([2, 3, 4], [2, 0, 1])).toEqual([4, 2, 3]);
    expect(transposeOutShape([5], [0])).toEqual([5]);
  });
});

describe('recurrent helpers', () => {
  it('rnnSizes reads B, T, I, H, G and D', () => {
    const inputs = { x: { shape: [2, 5, 3] }, h0: { shape: [2, 4] } };
    expect(rnnSizes(inputs, 'LSTM')).toEqual({ B: 2, T: 5, I: 3, H: 4, G: 4, GH: 16, D: 1 });
    expect(rnnSizes(inputs, 'GRU')).toEqual({ B: 2, T: 5, I: 3, H: 4, G: 3, GH: 12, D: 1 });
    expect(rnnSizes(inputs, 'RNN_TANH')).toEqual({ B: 2, T: 5, I: 3, H: 4, G: 1, GH: 4, D: 1 });
    expect(rnnSizes(inputs, 'RNN_RELU').G).toBe(1);
    // Both directions: h0 is stacked [2, B, H].
    const stacked = { x: { shape: [3, 5, 7] }, h0: { shape: [2, 3, 4] } };
    expect(rnnSizes(stacked, 'GRU')).toEqual({ B: 3, T: 5, I: 7, H: 4, G: 3, GH: 12, D: 2 });
  });

  it('rnnStepAt visits steps forwards, or backwards in reverse', () => {
    expect([0, 1, 2, 3].map((p) => rnnStepAt(false, 4, p))).toEqual([0, 1, 2, 3]);
    expect([0, 1, 2, 3].map((p) => rnnStepAt(true, 4, p))).toEqual([3, 2, 1, 0]);
  });
});
