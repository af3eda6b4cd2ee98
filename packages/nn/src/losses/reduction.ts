/**
 * How losses reduce per-element values (mean, sum, none) under an optional mask.
 */
import {
  cast,
  div,
  expandDims,
  formatShape,
  maximum,
  mul,
  ShapeError,
  sum,
  type Tensor,
  ValueError,
} from '@rnnkit/core';

/**
 * How a loss turns per-element values into its result:
 * - `'mean'` (default): the weighted mean over the unmasked elements;
 * - `'sum'`: the weighted sum;
 * - `'none'`: the per-element losses (masked elements are 0), shaped like the labels.
 */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options shared by every loss. */
export interface LossOptions {
  /**
   * A 0/1 mask shaped like the per-element loss (e.g. `[B, T]` for a sequence of labels):
   * padded time steps get 0 and neither count in the loss nor in the mean's denominator.
   * A float tensor or an int32 tensor.
   */
  mask?: Tensor;
  /** See {@link Reduction}. Default `'mean'`. */
  reduction?: Reduction;
}

/** Casts a mask to `dtype` and checks its shape against the per-element loss shape. */
export function prepareMask(
  op: string,
  mask: Tensor,
  shape: readonly number[],
  dtype: Tensor['dtype'],
): Tensor {
  if (mask.rank !== shape.length || mask.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(
      `${op}: argument 'mask' must have shape ${formatShape(shape)}, got ${formatShape(mask.shape)}`,
    );
  }
  return cast(mask, dtype);
}

/**
 * Reduces per-element losses `values` with per-element `weights` (already including the mask):
 * `mean` = Σ w·l / Σ w (PyTorch's weighted mean), `sum` = Σ w·l, `none` = w·l.
 * `featureCount` multiplies the denominator (mean over trailing features, as MSE needs).
 */
export function reduceLoss(
  op: string,
  values: Tensor,
  weights: Tensor | undefined,
  reduction: Reduction = 'mean',
  featureCount = 1,
): Tensor {
  const weighted = weights ? mul(values, weights) : values;
  switch (reduction) {
    case 'none':
      return weighted;
    case 'sum':
      return sum(weighted);
    case 'mean': {
      if (!weights) return div(sum(weighted), values.size * featureCount);
      // Guard against an all-masked batch: the denominator is at least the smallest positive float.
      const denom = maximum(mul(sum(weights), featureCount), 1e-30);
      return div(sum(weighted), denom);
    }
    default:
      throw new ValueError(
        `${op}: argument 'reduction' must be 'mean', 'sum' or 'none', got ${String(reduction)}`,
      );
  }
}

/** Adds a trailing axis of size 1 to a `[...]` mask so it broadcasts over features. */
export function maskOverFeatures(mask: Tensor): Tensor {
  return expandDims(mask, mask.rank);
}
