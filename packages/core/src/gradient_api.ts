import { ENGINE } from './engine.js';
import type { Tensor, Variable } from './tensor.js';

/**
 * The gradient function of a scalar function of one tensor.
 * @example
 * ```ts
 * const dSquare = grad((x) => sum(square(x)));
 * dSquare(tensor([1, 2])); // [2, 4]
 * ```
 */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  return (x, dy) => {
    const { value, grads } = ENGINE.valueAndGrads(() => f(x), [x], dy);
    value.dispose();
    return grads[0];
  };
}

/** The gradient function of a scalar function of several tensors. */
export function grads(f: (...xs: Tensor[]) => Tensor): (xs: Tensor[], dy?: Tensor) => Tensor[] {
  return (xs, dy) => {
    const { value, grads: gs } = ENGINE.valueAndGrads(() => f(...xs), xs, dy);
    value.dispose();
    return gs;
  };
}

/** Like {@link grad}, also returning the function's value. */
export function valueAndGrad(
  f: (x: Tensor) => Tensor,
): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    const { value, grads: gs } = ENGINE.valueAndGrads(() => f(x), [x], dy);
    return { value, grad: gs[0] };
  };
}

/** Like {@link grads}, also returning the function's value. */
export function valueAndGrads(
  f: (...xs: Tensor[]) => Tensor,
): (xs: Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return (xs, dy) => ENGINE.valueAndGrads(() => f(...xs), xs, dy);
}

/**
 * The value of a scalar loss `f()` and its gradients with respect to `vars` (model
 * parameters), in the same order: what an optimizer step needs.
 * @example
 * ```ts
 * const { value, grads } = variableGrads(() => loss(model.apply(x), y), model.parameters());
 * ```
 */
export function variableGrads(
  f: () => Tensor,
  vars: readonly Variable[],
): { value: Tensor; grads: Tensor[] } {
  return ENGINE.valueAndGrads(f, vars);
}
