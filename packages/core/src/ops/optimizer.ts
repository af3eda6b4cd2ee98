/**
 * The `adamUpdate` op: one fused Adam/AdamW step outside automatic differentiation.
 */
import { ENGINE } from '../engine.js';
import { DTypeError, formatShape, ShapeError, ValueError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { shapesEqual } from '../types.js';

/** Options of {@link adamUpdate}: PyTorch's Adam/AdamW hyperparameters for one step. */
export interface AdamUpdateOptions {
  /** Learning rate of this step (finite, ≥ 0). */
  lr: number;
  /** 1-based update count `t` of the bias corrections (a positive integer). */
  step: number;
  /** β₁ in `[0, 1)` (default 0.9). */
  beta1?: number;
  /** β₂ in `[0, 1)` (default 0.999). */
  beta2?: number;
  /** ε (finite, ≥ 0; default 1e-8). */
  eps?: number;
  /** Weight decay (finite, ≥ 0; default 0). */
  weightDecay?: number;
  /**
   * Decoupled weight decay (AdamW: `p ← p·(1 − lr·wd)` before the step) instead of Adam's L2
   * (`g ← g + wd·p`). Default false.
   */
  decoupled?: boolean;
}

/** What {@link adamUpdate} returns: the new parameter and moments (new tensors). */
export interface AdamUpdateResult {
  /** The updated parameter. */
  param: Tensor;
  /** The updated first moment. */
  m: Tensor;
  /** The updated second moment. */
  v: Tensor;
}

const OP = 'adamUpdate';

function assertNumber(arg: string, value: unknown, ok: (x: number) => boolean, want: string): void {
  if (typeof value !== 'number' || !ok(value)) {
    throw new ValueError(`${OP}: option '${arg}' must be ${want}, got ${String(value)}`);
  }
}

/**
 * One fused Adam (or AdamW) step of PyTorch's `torch.optim.Adam`/`AdamW` without AMSGrad, run
 * as the backend's `AdamUpdate` kernel: one pass over the four tensors instead of about fifteen
 * element-wise kernels. With `bc1 = 1 − β₁ᵗ` and `bc2 = 1 − β₂ᵗ` (t = `step`):
 * ```
 * p ← p·(1 − lr·wd)                 decoupled (AdamW)
 * g ← g + wd·p                      otherwise (Adam's L2)
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * p ← p − (lr / bc1) · m / (√v / √bc2 + ε)
 * ```
 * Nothing is modified: the results are new tensors (assign them to the variables). The op is
 * not differentiable (no gradient is registered); call it outside gradient functions, as
 * optimizers do.
 *
 * @param param - the parameter, a float tensor.
 * @param grad - its gradient: same shape and dtype.
 * @param m - the first moment (zeros before the first step): same shape and dtype.
 * @param v - the second moment (zeros before the first step): same shape and dtype.
 * @throws {@link DTypeError} when an argument is not a float tensor of `param`'s dtype.
 * @throws {@link ShapeError} when an argument's shape differs from `param`'s.
 * @throws {@link ValueError} when an option is out of range.
 * @example
 * ```ts
 * const w = variable(tensor([0.5, -1]), 'w');
 * const m = variable(zerosLike(w), 'w/m', false);
 * const v = variable(zerosLike(w), 'w/v', false);
 * const next = adamUpdate(w, tensor([0.1, -0.2]), m, v, { lr: 0.01, step: 1 });
 * w.assign(next.param);
 * m.assign(next.m);
 * v.assign(next.v);
 * check(w, [0.49, -0.99]); // Adam's first step moves each weight by lr against its gradient
 * ```
 */
export function adamUpdate(
  param: Tensor,
  grad: Tensor,
  m: Tensor,
  v: Tensor,
  options: AdamUpdateOptions,
): AdamUpdateResult {
  const args: [string, Tensor][] = [
    ['param', param],
    ['grad', grad],
    ['m', m],
    ['v', v],
  ];
  for (const [name, t] of args) {
    if (!(t instanceof Tensor)) {
      throw new ValueError(`${OP}: argument '${name}' must be a Tensor, got ${typeof t}`);
    }
  }
  if (param.dtype === 'int32') {
    throw new DTypeError(`${OP}: argument 'param' must be a float tensor, got int32`);
  }
  for (const [name, t] of args.slice(1)) {
    if (t.dtype !== param.dtype) {
      throw new DTypeError(
        `${OP}: argument '${name}' must have param's dtype ${param.dtype}, got ${t.dtype}`,
      );
    }
    if (!shapesEqual(t.shape, param.shape)) {
      throw new ShapeError(
        `${OP}: argument '${name}' must have param's shape ${formatShape(param.shape)}, got ${formatShape(t.shape)}`,
      );
    }
  }
  const { lr, step } = options;
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const weightDecay = options.weightDecay ?? 0;
  const decoupled = options.decoupled ?? false;
  const finiteNonNegative = (x: number) => Number.isFinite(x) && x >= 0;
  const unitInterval = (x: number) => x >= 0 && x < 1;
  assertNumber('lr', lr, finiteNonNegative, 'a finite number >= 0');
  assertNumber('step', step, (x) => Number.isInteger(x) && x >= 1, 'an integer >= 1');
  assertNumber('beta1', beta1, unitInterval, 'in [0, 1)');
  assertNumber('beta2', beta2, unitInterval, 'in [0, 1)');
  assertNumber('eps', eps, finiteNonNegative, 'a finite number >= 0');
  assertNumber('weightDecay', weightDecay, finiteNonNegative, 'a finite number >= 0');
  if (typeof decoupled !== 'boolean') {
    throw new ValueError(`${OP}: option 'decoupled' must be a boolean, got ${String(decoupled)}`);
  }
  return ENGINE.runKernel(
    'AdamUpdate',
    { param, grad, m, v },
    { lr, beta1, beta2, eps, weightDecay, decoupled, step },
  );
}
