/** The public gradient functions: grad, grads, valueAndGrad(s) and variableGrads. */
import { ENGINE } from './engine.js';
import { ValueError } from './errors.js';
import { type Tensor, Variable } from './tensor.js';

/** Options of the gradient functions. */
export interface GradientOptions {
  /**
   * Give zeros for a requested tensor the result does not depend on instead of throwing
   * (PyTorch's `allow_unused`; default false). A result that does not depend on a requested
   * tensor is almost always a bug — typically a forward pass computed outside the function.
   */
  allowUnused?: boolean;
}

/** Runs the engine and throws, naming the tensors, when the result ignores some of `xs`. */
function differentiate(
  api: string,
  f: () => Tensor,
  xs: readonly Tensor[],
  dy: Tensor | undefined,
  options: GradientOptions | undefined,
): { value: Tensor; grads: Tensor[] } {
  const { value, grads, unused } = ENGINE.valueAndGrads(f, xs, dy);
  if (unused.length > 0 && !options?.allowUnused) {
    value.dispose();
    for (const g of grads) g.dispose();
    const names = unused.map((i) => {
      const x = xs[i];
      return x instanceof Variable ? `'${x.name}'` : `xs[${i}]`;
    });
    const shown = names.length > 5 ? [...names.slice(0, 5), `… (${names.length} in all)`] : names;
    throw new ValueError(
      `${api}: the function's result does not depend on ${shown.join(', ')}, so the gradient would be 0. ` +
        'Compute the result from them inside the function (a forward pass done before the call is not recorded), ' +
        'or pass { allowUnused: true } to get zeros for them.',
    );
  }
  return { value, grads };
}

/**
 * The gradient function of a scalar function of one tensor.
 * @throws ValueError when the result does not depend on `x` (unless `allowUnused`).
 * @example
 * ```ts
 * const dSquare = grad((x) => sum(square(x)));
 * check(dSquare(tensor([1, 2])), [2, 4]); // d/dx Σx² = 2x
 * ```
 */
export function grad(
  f: (x: Tensor) => Tensor,
  options?: GradientOptions,
): (x: Tensor, dy?: Tensor) => Tensor {
  return (x, dy) => {
    const { value, grads } = differentiate('grad', () => f(x), [x], dy, options);
    value.dispose();
    return grads[0];
  };
}

/**
 * The gradient function of a scalar function of several tensors.
 * @throws ValueError when the result does not depend on one of `xs` (unless `allowUnused`).
 */
export function grads(
  f: (...xs: Tensor[]) => Tensor,
  options?: GradientOptions,
): (xs: Tensor[], dy?: Tensor) => Tensor[] {
  return (xs, dy) => {
    const { value, grads: gs } = differentiate('grads', () => f(...xs), xs, dy, options);
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
  options?: GradientOptions,
): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    const { value, grads: gs } = differentiate('valueAndGrad', () => f(x), [x], dy, options);
    return { value, grad: gs[0] };
  };
}

/**
 * Like {@link grads}, also returning the function's value.
 * @throws ValueError when the result does not depend on one of `xs` (unless `allowUnused`).
 * @example
 * ```ts
 * const f = valueAndGrads((a, b) => sum(mul(a, b)));
 * const { grads: [da, db] } = f([tensor([1, 2]), tensor([3, 4])]);
 * check([da, db], [[3, 4], [1, 2]]);
 * const ignoresB = valueAndGrads((a, _b) => sum(a), { allowUnused: true }); // b's gradient: zeros
 * check(ignoresB([tensor([1, 2]), tensor([3, 4])]).grads[1], [0, 0]);
 * ```
 */
export function valueAndGrads(
  f: (...xs: Tensor[]) => Tensor,
  options?: GradientOptions,
): (xs: Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return (xs, dy) => differentiate('valueAndGrads', () => f(...xs), xs, dy, options);
}

/**
 * The value of a scalar loss `f()` and its gradients with respect to `vars` (model
 * parameters), in the same order: what an optimizer step needs. Everything the loss depends
 * on must be computed inside `f`: the gradients come from what `f` records.
 * @throws ValueError naming the variables the result does not depend on (a forward pass done
 * outside `f`, a layer left out of the computation), unless `allowUnused` is set.
 * @example
 * ```ts
 * const w = variable(tensor([[2]]), 'w');
 * const x = tensor([[1], [2], [3]]);
 * const y = tensor([[3], [6], [9]]); // y = 3x, so the best w is 3
 * const loss = () => mean(square(sub(matMul(x, w), y)));
 * const { value, grads } = variableGrads(loss, [w]);
 * check(value.item(), 14 / 3); // mean((2x - 3x)²) = (1 + 4 + 9) / 3
 * check(grads[0], [[-28 / 3]]); // mean(2 (xw - y) x) = -2 · 14 / 3
 * const computedOutside = mean(square(sub(matMul(x, w), y)));
 * let message = '';
 * try { variableGrads(() => computedOutside, [w]); } catch (e) { message = (e as Error).message; }
 * check(message.includes("does not depend on 'w'"), true);
 * ```
 */
export function variableGrads(
  f: () => Tensor,
  vars: readonly Variable[],
  options?: GradientOptions,
): { value: Tensor; grads: Tensor[] } {
  return differentiate('variableGrads', f, vars, undefined, options);
}
