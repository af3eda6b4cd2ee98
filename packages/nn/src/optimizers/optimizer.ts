/**
 * `Optimizer`: the base class of every optimizer, with its state, learning-rate schedule and
 * gradient clipping.
 */
import {
  add,
  formatShape,
  keep,
  mul,
  shapesEqual,
  type Tensor,
  tensor,
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

/** One slot's values (a copy read back from the backend). */
export interface SlotValue {
  /** The slot's shape (the parameter's). */
  shape: number[];
  /** Its values, in the parameter's dtype. */
  data: Float32Array | Float64Array;
}

/**
 * Everything an optimizer carries between updates, from {@link Optimizer.getState}: the update
 * count (which is also the position in a learning-rate schedule) and every slot (Adam's first
 * and second moments, momentum buffers, …) of each parameter, in the order of the `vars` given.
 */
export interface OptimizerState {
  /** The optimizer's class name (`'Adam'`, `'SGD'`, …). */
  className: string;
  /** Updates applied so far ({@link Optimizer.iterations}). */
  iterations: number;
  /** `slots[i]`: the slots of `vars[i]` by name (empty before its first update). */
  slots: Record<string, SlotValue>[];
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
  private readonly className: string;
  private readonly slotStore = new Map<Variable, Map<string, Variable>>();
  /** The constructor options, for {@link Optimizer.getConfig}. */
  protected readonly options: OptimizerOptions;

  protected constructor(className: string, options: OptimizerOptions, defaultLr: number) {
    this.options = options;
    this.className = className;
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

  /**
   * The update count and a copy of every slot of `vars` (in that order), to save with a
   * checkpoint; {@link Optimizer.setState} on an optimizer of the same class and options puts
   * it back, so training continues exactly where it stopped (moments, bias correction and the
   * learning-rate schedule's position included).
   * @example
   * ```ts
   * const w = variable(tensor([1, -2]), 'w');
   * const adam = new Adam({ lr: 0.1 });
   * adam.applyGradients([w], [tensor([0.5, 0.5])]);
   * const saved = adam.getState([w]);
   * check([saved.className, saved.iterations, Object.keys(saved.slots[0])], ['Adam', 1, ['m', 'v']]);
   *
   * // e.g. after a restart: the same weights in new variables, the optimizer restored for them
   * const twin = variable(tensor(w.dataSync(), [2]), 'twin');
   * const resumed = new Adam({ lr: 0.1 });
   * resumed.setState([twin], saved);
   * adam.applyGradients([w], [tensor([0.1, -0.3])]);
   * resumed.applyGradients([twin], [tensor([0.1, -0.3])]);
   * check(twin, w);
   * ```
   */
  getState(vars: readonly Variable[]): OptimizerState {
    return {
      className: this.className,
      iterations: this.iterations,
      slots: vars.map((v) => {
        const slots: Record<string, SlotValue> = {};
        for (const [name, s] of this.slotStore.get(v) ?? []) {
          const data = s.dataSync();
          slots[name] = {
            shape: [...s.shape],
            data: data instanceof Float64Array ? data.slice() : Float32Array.from(data),
          };
        }
        return slots;
      }),
    };
  }

  /**
   * Restores a state from {@link Optimizer.getState} for `vars` (the same parameters, in the
   * same order, as when it was taken). Replaces every slot of `vars`. A state of another
   * optimizer class, another parameter count or slot shapes that do not match is a `ValueError`
   * naming the difference, and leaves this optimizer unchanged.
   */
  setState(vars: readonly Variable[], state: OptimizerState): void {
    const where = `${this.className}.setState`;
    if (state === null || typeof state !== 'object')
      throw new ValueError(`${where}: argument 'state' must be an object, got ${String(state)}`);
    if (state.className !== this.className)
      throw new ValueError(
        `${where}: the state belongs to a ${String(state.className)} optimizer, not ${this.className}`,
      );
    if (!(Number.isInteger(state.iterations) && state.iterations >= 0))
      throw new ValueError(
        `${where}: 'state.iterations' must be a non-negative integer, got ${state.iterations}`,
      );
    if (!Array.isArray(state.slots) || state.slots.length !== vars.length)
      throw new ValueError(
        `${where}: the state holds slots for ${Array.isArray(state.slots) ? state.slots.length : 'no'} parameters, expected ${vars.length} (one per variable given)`,
      );
    vars.forEach((v, i) => {
      for (const [name, slot] of Object.entries(state.slots[i])) {
        if (!shapesEqual(slot.shape, v.shape) || slot.data.length !== v.size)
          throw new ValueError(
            `${where}: slot '${name}' of parameter ${i} ('${v.name}') has shape ${formatShape(slot.shape)} and ${slot.data.length} values, expected ${formatShape(v.shape)}`,
          );
      }
    });
    vars.forEach((v, i) => {
      const old = this.slotStore.get(v);
      if (old) for (const s of old.values()) s.dispose();
      const slots = new Map<string, Variable>();
      for (const [name, slot] of Object.entries(state.slots[i]))
        slots.set(
          name,
          tidy(() =>
            keep(variable(tensor(slot.data, [...slot.shape], v.dtype), `${v.name}/${name}`, false)),
          ),
        );
      this.slotStore.set(v, slots);
    });
    this.iterations = state.iterations;
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
