/**
 * The SGD optimizer (momentum, dampening, weight decay, Nesterov).
 */
import { add, clone, mul, sub, type Tensor, ValueError, type Variable } from '@rnnkit/core';
import { Optimizer, type OptimizerOptions, type UpdateContext } from './optimizer.js';

/** Options of {@link SGD}. */
export interface SGDOptions extends OptimizerOptions {
  /** Momentum factor μ (default 0). */
  momentum?: number;
  /** Dampening τ of the momentum (default 0). */
  dampening?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent, PyTorch's `torch.optim.SGD` update exactly:
 * ```
 * g ← g + wd·p
 * if μ ≠ 0:  b ← g on the first step, else b ← μ·b + (1 − τ)·g
 *            g ← g + μ·b (Nesterov)  or  g ← b
 * p ← p − lr·g
 * ```
 * @example
 * ```ts
 * const opt = new SGD({ lr: 0.1, momentum: 0.9, nesterov: true });
 * ```
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;

  constructor(options: SGDOptions = {}) {
    super('SGD', options, 0.01);
    this.momentum = options.momentum ?? 0;
    this.dampening = options.dampening ?? 0;
    this.nesterov = options.nesterov ?? false;
    if (this.momentum < 0)
      throw new ValueError(`SGD: option 'momentum' must be >= 0, got ${this.momentum}`);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new ValueError('SGD: Nesterov momentum requires a momentum > 0 and zero dampening');
    }
  }

  protected update(v: Variable, g: Tensor, { lr }: UpdateContext): void {
    let d = this.withL2(v, g);
    if (this.momentum !== 0) {
      const first = !this.hasSlot(v, 'momentum');
      const buf = this.slot(v, 'momentum', () => clone(d));
      if (!first) buf.assign(add(mul(buf, this.momentum), mul(d, 1 - this.dampening)));
      d = this.nesterov ? add(d, mul(buf, this.momentum)) : buf;
    }
    v.assign(sub(v, mul(d, lr)));
  }
}
