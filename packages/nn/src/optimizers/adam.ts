/**
 * The Adam and AdamW optimizers (one fused `AdamUpdate` per parameter).
 */
import {
  adamUpdate,
  add,
  div,
  maximum,
  mul,
  sqrt,
  square,
  sub,
  type Tensor,
  ValueError,
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
 * Without AMSGrad each parameter's step is one fused `AdamUpdate` kernel on the backend (core's
 * `adamUpdate`: one pass over p, g, m, v instead of a dozen element-wise kernels); AMSGrad runs
 * as composed core ops. Both compute the formula above in the same order of operations.
 * @example
 * ```ts
 * const model = new Sequential([new Dense({ inputSize: 3, units: 2, seed: 0 })]);
 * model.compile({ optimizer: new Adam({ lr: 1e-3 }), loss: 'sparseCategoricalCrossEntropy' });
 * const { loss } = model.trainOnBatch(tensor([[1, 0, -1], [0.5, 2, 0]]), tensor([0, 1], [2], 'int32'));
 * check(loss > 0, true);
 *
 * // Adam's first step moves each weight by lr against the sign of its gradient:
 * const w = variable(tensor([0.5, -1]), 'w');
 * new Adam({ lr: 0.01 }).applyGradients([w], [tensor([0.1, -0.2])]);
 * check(w, [0.49, -0.99]);
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
    for (const [name, beta] of [
      ['beta1', this.beta1],
      ['beta2', this.beta2],
    ] as const) {
      if (!(beta >= 0 && beta < 1))
        throw new ValueError(`${className}: option '${name}' must be in [0, 1), got ${beta}`);
    }
    if (!(Number.isFinite(this.eps) && this.eps >= 0))
      throw new ValueError(
        `${className}: option 'eps' must be a finite number >= 0, got ${this.eps}`,
      );
  }

  /** Whether weight decay is decoupled (AdamW: `p ← p·(1 − lr·wd)`) rather than L2 in the gradient. */
  protected get decoupled(): boolean {
    return false;
  }

  protected update(v: Variable, g: Tensor, ctx: UpdateContext): void {
    const m = this.slot(v, 'm');
    const s = this.slot(v, 'v');
    if (!this.amsgrad) {
      const next = adamUpdate(v, g, m, s, {
        lr: ctx.lr,
        step: ctx.step,
        beta1: this.beta1,
        beta2: this.beta2,
        eps: this.eps,
        weightDecay: this.weightDecay,
        decoupled: this.decoupled,
      });
      m.assign(next.m);
      s.assign(next.v);
      v.assign(next.param);
      return;
    }
    let d = g;
    if (this.decoupled) {
      if (this.weightDecay !== 0) v.assign(mul(v, 1 - ctx.lr * this.weightDecay));
    } else {
      d = this.withL2(v, g);
    }
    m.assign(add(mul(m, this.beta1), mul(d, 1 - this.beta1)));
    s.assign(add(mul(s, this.beta2), mul(square(d), 1 - this.beta2)));
    const vmax = this.slot(v, 'vMax');
    vmax.assign(maximum(vmax, s));
    const bc1 = 1 - this.beta1 ** ctx.step;
    const bc2 = 1 - this.beta2 ** ctx.step;
    const denom = add(div(sqrt(vmax), Math.sqrt(bc2)), this.eps);
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

  protected override get decoupled(): boolean {
    return true;
  }
}
