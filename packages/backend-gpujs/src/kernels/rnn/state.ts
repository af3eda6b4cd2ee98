// Reshaping passes over recurrent state textures: packing h and c into the `[B, 2H]` rows of an
// LSTM state, taking one half back out, and stacking per-step textures in time order.
import type { GpujsBackend, GpuValue } from '../../backend.js';
import { int, kernelSource, unravel } from '../../codegen.js';
import { concatColumns } from '../util/concat.js';
import type { Dims } from './geometry.js';

/** Copies the `[B, H]` half at column `offset` out of `[B, 2H]` LSTM state rows. */
export function half(backend: GpujsBackend, d: Dims, s: GpuValue, offset: number): GpuValue {
  return backend.run(
    `rnn-half:${d.B}x${d.H}:${offset}`,
    d.B * d.H,
    () => {
      const { code, coords } = unravel('i', [d.B, d.H], 'o');
      const [b, j] = coords;
      return kernelSource(
        ['s'],
        `${code}\nreturn s[${b} * ${int(2 * d.H)} + ${int(offset)} + ${j}];`,
      );
    },
    [s],
  );
}

/** Packs `[B, H]` h and c (or zeros) into `[B, 2H]` LSTM state rows. */
export function pack(
  backend: GpujsBackend,
  d: Dims,
  h: GpuValue,
  c: GpuValue | undefined,
): GpuValue {
  return backend.run(
    `rnn-pack:${d.B}x${d.H}:${c ? 'hc' : 'h0'}`,
    d.B * 2 * d.H,
    () => {
      const { code, coords } = unravel('i', [d.B, 2, d.H], 'o');
      const [b, q, j] = coords;
      const at = `${b} * ${int(d.H)} + ${j}`;
      return kernelSource(
        c ? ['h', 'c'] : ['h'],
        `${code}\nif (${q} < 0.5) { return h[${at}]; }\nreturn ${c ? `c[${at}]` : '0.0'};`,
      );
    },
    c ? [h, c] : [h],
  );
}

/** `[B, T, W]` in time order from per-step `[B, W]` textures. */
export function stack(
  backend: GpujsBackend,
  d: Dims,
  values: readonly GpuValue[],
  width: number,
): GpuValue {
  return concatColumns(
    backend,
    values,
    values.map(() => width),
    d.B,
  );
}
