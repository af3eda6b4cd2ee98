import {
  add,
  keep,
  mul,
  type Tensor,
  tidy,
  ValueError,
  type Variable,
  variable,
  variableGrads,
  zerosLike,
} from '@rnnkit/core';
import { clipByGlobalNorm, clipByValue } from './clipping.js';
import type { LearningRateSchedule } from './schedules.js';

/** Options every optimizer accepts. */
export interface OptimizerOptions {
  /** Learning rate, or a schedule of the update count. */
  lr?: number | LearningRateSchedule;
  /** Weight decay: L2 added to the gradient (`g + wd·p`), except AdamW (decoupled). Default 0. */
  weightDecay?: number;
  /** Clip gradients to this global L2 norm before the update. */
  clipNorm?: number;
  /** Clip gradient elements to `[-clipValue, clipValue]` before the update. */
  clipValue?: number;
}

/** What {@link Optimizer.update} receives for one parameter. */
export interface UpdateContext {
  /** Learning rate of this update. */
  lr: number;
  /** 1-based update count (PyTorch's `state['step']` after incrementing). */
  step: number;
}

/**
 * Base class of the optimizers. `applyGradients` clips, then runs each parameter's update as
 * core ops on the backend (composed element-wise ops, or a fused kernel such as Adam's
 * `AdamUpdate`) inside one `tidy`; parameters and slots (moments, momentum buffers) stay backend
 * tensors and are replaced with `Variable.assign`, so nothing is read back to JavaScript and
 * nothing leaks. Updates are not differentiable: apply gradients after `variableGrads` returns,
 * never inside the function it differentiates.
 */
export abstract class Optimizer {
  /** Number of updates applied so far. */
  iterations = 0;
  /** Weight decay coefficient. */
  readonly weightDecay: number;
  /** Global-norm clip, if any. */
  readonly clipNorm: number | undefined;
  /** Element-wise clip, if any. */
  readonly clipValue: number | undefined;
  private readonly schedule: LearningRateSchedule;
  private readonly slotStore = new Map<Variable, Map<string, Variable>>();
  /** The constructor options, for {@link Optimizer.getConfig}. */
  protected readonly options: OptimizerOptions;

  protected constructor(className: string, options: OptimizerOptions, defaultLr: number) {
    this.options = options;
    const lr = options.lr ?? defaultLr;
    if (typeof lr === 'number' && !(Number.isFinite(lr) && lr >= 0)) {
      throw new ValueError(`${className}: option 'lr' must be a non-negative number, got ${lr}`);
    }
    this.schedule = typeof lr === 'number' ? () => lr : lr;
    this.weightDecay = options.weightDecay ?? 0;
    if (!(this.weightDecay >= 0))
      throw new ValueError(
        `${className}: option 'weightDecay' must be >= 0, got ${this.weightDecay}`,
      );
    this.clipNorm = options.clipNorm;
    this.clipValue = options.clipValue;
    if (this.clipNorm !== undefined && !(this.clipNorm > 0))
      throw new ValueError(`${className}: option 'clipNorm' must be > 0`);
    if (this.clipValue !== undefined && !(this.clipValue > 0))
      throw new ValueError(`${className}: option 'clipValue' must be > 0`);
  }

  /** The learning rate the next update will use. */
  get learningRate(): number {
    return this.schedule(this.iterations);
  }

  /** Name and options, for logs and checkpoints (schedules are not serialisable and appear as `'schedule'`). */
  getConfig(): { className: string; config: Record<string, unknown> } {
    const config: Record<string, unknown> = { ...this.options };
    if (typeof config.lr === 'function') config.lr = 'schedule';
    return { className: this.constructor.name, config };
  }

  /**
   * Updates `vars` with `grads` (same order and shapes). Gradients are not disposed.
   * @example
   * ```ts
   * const w = variable(tensor([1, -2]), 'w');
   * const params = [w];
   * const loss = () => sum(square(w));
   * const opt = new SGD({ lr: 0.1 });
   * const { value, grads } = variableGrads(() => loss(), params);
   * opt.applyGradients(params, grads);
   * check(value, 5);
   * check(w, [0.8, -1.6]); // w − 0.1 · 2w
   * ```
   */
  applyGradients(vars: readonly Variable[], grads: readonly Tensor[]): void {
    if (vars.length !== grads.length) {
      throw new ValueError(
        `applyGradients: ${vars.length} variables but ${grads.length} gradients`,
      );
    }
    const ctx: UpdateContext = { lr: this.schedule(this.iterations), step: this.iterations + 1 };
    tidy(() => {
      let gs: Tensor[] = [...grads];
      if (this.clipValue !== undefined) gs = clipByValue(gs, this.clipValue);
      if (this.clipNorm !== undefined && gs.length > 0)
        gs = clipByGlobalNorm(gs, this.clipNorm).grads;
      vars.forEach((v, i) => {
        if (v.trainable) tidy(() => this.update(v, gs[i], ctx));
      });
    });
    this.iterations++;
  }

  /**
   * Computes `f()` and its gradients with respect to `vars`, applies them and returns the
   * loss (the caller disposes it).
   */
  minimize(f: () => Tensor, vars: readonly Variable[]): Tensor {
    const { value, grads } = variableGrads(f, vars);
    try {
      this.applyGradients(vars, grads);
    } finally {
      for (const g of grads) g.dispose();
    }
    return value;
  }

  /** One parameter's update; implemented by each optimizer with core ops and `assign`. */
  protected abstract update(v: Variable, g: Tensor, ctx: UpdateContext): void;

  /** True once slot `name` of `v` exists. */
  protected hasSlot(v: Variable, name: string): boolean {
    return this.slotStore.get(v)?.has(name) ?? false;
  }

  /** Slot `name` of `v` (a non-trainable variable), created from `initial` (default zeros) on first use. */
  protected slot(v: Variable, name: string, initial?: () => Tensor): Variable {
    let slots = this.slotStore.get(v);
    if (!slots) this.slotStore.set(v, (slots = new Map()));
    let s = slots.get(name);
    if (!s) {
      const init = initial ? initial() : zerosLike(v);
      s = keep(variable(init, `${v.name}/${name}`, false));
      slots.set(name, s);
    }
    return s;
  }

  /** `g + weightDecay · p` (PyTorch's coupled L2), or `g` when there is no decay. */
  protected withL2(v: Variable, g: Tensor): Tensor {
    return this.weightDecay !== 0 ? addScaled(g, v, this.weightDecay) : g;
  }

  /** Slot variables, e.g. to count memory (they live as long as the optimizer). */
  slotVariables(): Variable[] {
    return [...this.slotStore.values()].flatMap((m) => [...m.values()]);
  }

  /** Frees every slot. */
  dispose(): void {
    for (const s of this.slotVariables()) s.dispose();
    this.slotStore.clear();
  }
}

/** `a + c·b`. */
export function addScaled(a: Tensor, b: Tensor, c: number): Tensor {
  return add(a, mul(b, c));
}
