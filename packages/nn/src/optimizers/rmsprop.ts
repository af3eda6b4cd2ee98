/**
 * The RMSprop optimizer.
 */
import { add, div, mul, sqrt, square, sub, type Tensor, type Variable } from '@rnnkit/core';
import { Optimizer, type OptimizerOptions, type UpdateContext } from './optimizer.js';

/** Options of {@link RMSprop}. */
export interface RMSpropOptions extends OptimizerOptions {
  /** Smoothing constant α (default 0.99). */
  alpha?: number;
  /** ε (default 1e-8). */
  eps?: number;
  /** Momentum μ (default 0). */
  momentum?: number;
  /** Normalise by the estimated variance instead of the second moment (default false). */
  centered?: boolean;
}

/**
 * RMSprop, PyTorch's `torch.optim.RMSprop` update exactly:
 * ```
 * g ← g + wd·p
 * s ← α·s + (1 − α)·g²
 * centered: ḡ ← α·ḡ + (1 − α)·g,  a ← √(s − ḡ²) + ε;  else a ← √s + ε
 * μ > 0:  b ← μ·b + g / a,  p ← p − lr·b;   else p ← p − lr·g / a
 * ```
 */
export class RMSprop extends Optimizer {
  readonly alpha: number;
  readonly eps: number;
  readonly momentum: number;
  readonly centered: boolean;

  constructor(options: RMSpropOptions = {}) {
    super('RMSprop', options, 0.01);
    this.alpha = options.alpha ?? 0.99;
    this.eps = options.eps ?? 1e-8;
    this.momentum = options.momentum ?? 0;
    this.centered = options.centered ?? false;
  }

  protected update(v: Variable, g: Tensor, { lr }: UpdateContext): void {
    const d = this.withL2(v, g);
    const s = this.slot(v, 'squareAvg');
    s.assign(add(mul(s, this.alpha), mul(square(d), 1 - this.alpha)));
    let avg: Tensor;
    if (this.centered) {
      const ga = this.slot(v, 'gradAvg');
      ga.assign(add(mul(ga, this.alpha), mul(d, 1 - this.alpha)));
      avg = add(sqrt(sub(s, square(ga))), this.eps);
    } else {
      avg = add(sqrt(s), this.eps);
    }
    if (this.momentum > 0) {
      const b = this.slot(v, 'momentum');
      b.assign(add(mul(b, this.momentum), div(d, avg)));
      v.assign(sub(v, mul(b, lr)));
    } else {
      v.assign(sub(v, mul(div(d, avg), lr)));
    }
  }
}
