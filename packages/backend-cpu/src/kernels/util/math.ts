/** Logistic sigmoid, evaluated so that neither branch can overflow `exp`. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** `log(1 + exp(x))` without overflow for large x or loss of precision for very negative x. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** `max(x, 0)`, propagating NaN. */
export function relu(x: number): number {
  return Math.max(x, 0);
}
