import {
  add,
  div,
  maximum,
  mul,
  sqrt,
  square,
  sub,
  type Tensor,
  type Variable,
} from '@rnnkit/core';
import { Optimizer, type OptimizerOptions, type UpdateContext } from './optimizer.js';

/** Options of {@link Adam} and {@link AdamW}. */
export interface AdamOptions extends OptimizerOptions {
  /** β₁ (default 0.9). */
  beta1?: number;
  /** β₂ (default 0.999). */
  beta2?: number;
  /** ε (default 1e-8). */
  eps?: number;
  /** Keep the running maximum of the second moment (AMSGrad; default false). */
  amsgrad?: boolean;
}

/**
 * Adam, PyTorch's `torch.optim.Adam` update exactly (step t from 1):
 * ```
 * g ← g + wd·p                       (Adam's L2; AdamW decays p instead)
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * v̂ ← max(v̂, v) with AMSGrad, else v
 * p ← p − (lr / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
 * ```
 * @example
 * ```ts
 * model.compile({ optimizer: new Adam({ lr: 1e-3 }), loss: 'sparseCategoricalCrossEntropy' });
 * ```
 */
export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly amsgrad: boolean;

  constructor(options: AdamOptions = {}, className = 'Adam') {
    super(className, options, 1e-3);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.amsgrad = options.amsgrad ?? false;
  }

  /** The gradient Adam's moments see: with L2 for Adam, without for AdamW. */
  protected effectiveGradient(v: Variable, g: Tensor, _ctx: UpdateContext): Tensor {
    return this.withL2(v, g);
  }

  protected update(v: Variable, g: Tensor, ctx: UpdateContext): void {
    const d = this.effectiveGradient(v, g, ctx);
    const m = this.slot(v, 'm');
    const s = this.slot(v, 'v');
    m.assign(add(mul(m, this.beta1), mul(d, 1 - this.beta1)));
    s.assign(add(mul(s, this.beta2), mul(square(d), 1 - this.beta2)));
    let second: Tensor = s;
    if (this.amsgrad) {
      const vmax = this.slot(v, 'vMax');
      vmax.assign(maximum(vmax, s));
      second = vmax;
    }
    const bc1 = 1 - this.beta1 ** ctx.step;
    const bc2 = 1 - this.beta2 ** ctx.step;
    const denom = add(div(sqrt(second), Math.sqrt(bc2)), this.eps);
    v.assign(sub(v, mul(div(m, denom), ctx.lr / bc1)));
  }
}

/**
 * AdamW, PyTorch's `torch.optim.AdamW`: Adam without L2 in the gradient, and decoupled weight
 * decay applied to the parameter first, `p ← p · (1 − lr·wd)`, then the Adam step above.
 * Default `weightDecay` 0.01 as in PyTorch.
 */
export class AdamW extends Adam {
  constructor(options: AdamOptions = {}) {
    super({ ...options, weightDecay: options.weightDecay ?? 0.01 }, 'AdamW');
  }

  protected override effectiveGradient(v: Variable, g: Tensor, ctx: UpdateContext): Tensor {
    if (this.weightDecay !== 0) v.assign(mul(v, 1 - ctx.lr * this.weightDecay));
    return g;
  }
}
