// Shape collapsing and the n-d strided copy of 32-bit words shared by the layout kernels.
import type { Shape } from '@rnnkit/core';
import type { WasmBackend } from '../../backend.js';

/**
 * Simplifies an n-d iteration over `shape` with one stride list per operand: drops axes of
 * extent 1 and merges neighbouring axes that every operand walks contiguously. The result has
 * rank >= 1 (a scalar becomes `[1]`) and visits the same offsets in the same order.
 */
export function collapse(
  shape: Shape,
  strides: readonly (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const extent = shape[d];
    if (extent === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k][last] === s[d] * extent)) {
      outShape[last] *= extent;
      strides.forEach((s, k) => {
        outStrides[k][last] = s[d];
      });
      continue;
    }
    outShape.push(extent);
    strides.forEach((s, k) => {
      outStrides[k].push(s[d]);
    });
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (const s of outStrides) s.push(0);
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Copies 32-bit words: element `i` of `shape` (in row-major order) goes from
 * `src + 4 * Σ i_d * srcStrides_d` to `dst + 4 * Σ i_d * dstStrides_d`, inside wasm memory.
 */
export function copyStrided(
  backend: WasmBackend,
  shape: Shape,
  srcStrides: readonly number[],
  dstStrides: readonly number[],
  src: number,
  dst: number,
): void {
  for (const extent of shape) if (extent === 0) return;
  const c = collapse(shape, [srcStrides, dstStrides]);
  const params = backend.writeParams(c.shape, c.strides[0], c.strides[1]);
  backend.wasm.copyStrided(c.shape.length, params, src, dst);
}
