/**
 * Gradients of the data-movement kernels: Cast, Slice, Pad, Concat, Transpose, Reverse, Gather,
 * ScatterAdd.
 */
import { cast, gather, pad, reverse, scatterAdd, slice, split, transpose } from '../ops/shape.js';
import type { GradFunc } from './types.js';

export const castGrad: GradFunc<'Cast'> = ({ y: dy }, { inputs: { x } }) =>
  dy && x.dtype !== 'int32' ? { x: cast(dy, x.dtype) } : {};

export const sliceGrad: GradFunc<'Slice'> = (
  { y: dy },
  { inputs: { x }, attrs: { begin, size } },
) =>
  dy
    ? {
        x: pad(
          dy,
          x.shape.map((d, i) => [begin[i], d - begin[i] - size[i]] as const),
        ),
      }
    : {};

export const padGrad: GradFunc<'Pad'> = ({ y: dy }, { inputs: { x }, attrs: { paddings } }) =>
  dy
    ? {
        x: slice(
          dy,
          paddings.map(([before]) => before),
          x.shape,
        ),
      }
    : {};

export const concatGrad: GradFunc<'Concat'> = ({ y: dy }, { inputs: { xs }, attrs: { axis } }) =>
  dy
    ? {
        xs: split(
          dy,
          xs.map((t) => t.shape[axis]),
          axis,
        ),
      }
    : {};

export const transposeGrad: GradFunc<'Transpose'> = ({ y: dy }, { attrs: { perm } }) => {
  if (!dy) return {};
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inverse[p] = i;
  });
  return { x: transpose(dy, inverse) };
};

export const reverseGrad: GradFunc<'Reverse'> = ({ y: dy }, { attrs: { axes } }) =>
  dy ? { x: reverse(dy, axes) } : {};

export const gatherGrad: GradFunc<'Gather'> = (
  { y: dy },
  { inputs: { x, indices }, attrs: { axis } },
) => (dy ? { x: scatterAdd(dy, indices, x.shape, axis) } : {});

export const scatterAddGrad: GradFunc<'ScatterAdd'> = (
  { y: dy },
  { inputs: { indices }, attrs: { axis } },
) => (dy ? { updates: gather(dy, indices, axis) } : {});
