/**
 * The Adagrad optimizer.
 */
import { add, div, fill, mul, sqrt, square, sub, type Tensor, type Variable } from '@rnnkit/core';
import { Optimizer, type OptimizerOptions, type UpdateContext } from './optimizer.js';

/** Options of {@link Adagrad}. */
export interface AdagradOptions extends OptimizerOptions {
  /** Learning-rate decay η (default 0). */
  lrDecay?: number;
  /** Starting value of the accumulator (default 0). */
  initialAccumulatorValue?: number;
  /** ε (default 1e-10). */
  eps?: number;
}

/**
 * Adagrad, PyTorch's `torch.optim.Adagrad` update exactly (step t from 1):
 * ```
 * g ← g + wd·p
 * clr ← lr / (1 + (t − 1)·η)
 * s ← s + g²
 * p ← p − clr · g / (√s + ε)
 * ```
 */
export class Adagrad extends Optimizer {
  readonly lrDecay: number;
  readonly initialAccumulatorValue: number;
  readonly eps: number;

  constructor(options: AdagradOptions = {}) {
    super('Adagrad', options, 0.01);
    this.lrDecay = options.lrDecay ?? 0;
    this.initialAccumulatorValue = options.initialAccumulatorValue ?? 0;
    this.eps = options.eps ?? 1e-10;
  }

  protected update(v: Variable, g: Tensor, { lr, step }: UpdateContext): void {
    const d = this.withL2(v, g);
    const s = this.slot(v, 'sum', () => fill(v.shape, this.initialAccumulatorValue, v.dtype));
    s.assign(add(s, square(d)));
    const clr = lr / (1 + (step - 1) * this.lrDecay);
    v.assign(sub(v, mul(div(d, add(sqrt(s), this.eps)), clr)));
  }
}
