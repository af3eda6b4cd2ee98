/** Text the page shows that the tests reproduce from Node's numbers. */

/** The line the page shows under the plot: first and last norm, and their ratio. */
export function describeNorms(cell: string, norms: readonly number[]): string {
  const first = norms[0];
  const last = norms[norms.length - 1];
  return `${cell}: ‖∂h_T/∂x_1‖ = ${first.toExponential(2)}, ‖∂h_T/∂x_T‖ = ${last.toExponential(2)} (ratio ${(first / last).toExponential(2)})`;
}
