import { ENGINE } from './engine.js';
import type { Tensor, Variable } from './tensor.js';

/**
 * The gradient function of a scalar function of one tensor.
 * @example
 * ```ts
 * const dSquare = grad((x) => sum(square(x)));
 * check(dSquare(tensor([1, 2])), [2, 4]); // d/dx Σx² = 2x
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

/**
 * Like {@link grad}, also returning the function's value.
 * @example
 * ```ts
 * const f = valueAndGrad((x) => sum(mul(x, x)));
 * const { value, grad: g } = f(tensor([3, 4]));
 * check(value.item(), 25);
 * check(g, [6, 8]);
 * ```
 */
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
 * const w = variable(tensor([[2]]), 'w');
 * const x = tensor([[1], [2], [3]]);
 * const y = tensor([[3], [6], [9]]); // y = 3x, so the best w is 3
 * const loss = () => mean(square(sub(matMul(x, w), y)));
 * const { value, grads } = variableGrads(loss, [w]);
 * check(value.item(), 14 / 3); // mean((2x - 3x)²) = (1 + 4 + 9) / 3
 * check(grads[0], [[-28 / 3]]); // mean(2 (xw - y) x) = -2 · 14 / 3
 * ```
 */
export function variableGrads(
  f: () => Tensor,
  vars: readonly Variable[],
): { value: Tensor; grads: Tensor[] } {
  return ENGINE.valueAndGrads(f, vars);
}
