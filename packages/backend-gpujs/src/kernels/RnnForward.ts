// The RnnForward kernel on gpu.js: the fused recurrence, with the per-step kernels of the mode's
// cell strategy (rnn/cells.ts).
import type { KernelFunc, KernelOutputs } from '@rnnkit/core';
import type { GpujsBackend, GpuValue } from '../backend.js';
import { int, kernelSource, unravel } from '../codegen.js';
import { RNN_CELLS } from './rnn/cells.js';
import { dims, dimsKey } from './rnn/geometry.js';
import { inputProjection, runSteps } from './rnn/segments.js';
import { half, pack, stack } from './rnn/state.js';

/**
 * Fused forward pass of one recurrent layer in one direction.
 *
 * One product kernel computes the input projection of every step, `XP = x W_ih^T + b_ih`
 * (`[B*T, G*H]`); then each step runs the cell's kernels (RNN: one for the whole cell; LSTM,
 * GRU: the activated gates `[B, 4H]`, then the new state), each fusing the `h W_hh^T` dot
 * products with the gate arithmetic. The step index `t` and the per-sequence lengths are kernel
 * arguments (a float uniform and an int32 texture), so a shape compiles its kernels once and
 * nothing is read back inside the loop: sequences past their length keep their state (frozen)
 * because the kernel compares `t` with `lengths[b]` itself.
 *
 * State textures: `[B, H]`, or `[B, 2H]` holding `h | c` per row (LSTM). Gate textures:
 * `[B, 4H]`, LSTM `i, f, g, o` (activated), GRU `r, z, n, W_hn h + b_hn`.
 *
 * Reserve (private layout): a tensor whose storage references the list of immutable textures
 * `[S_-1, S_0, …, S_{T-1}, G_0, …, G_{T-1}]` in processing order, where `S_-1` is the initial
 * state (an alias of h0, or h0|c0 packed) and `S_p`/`G_p` the state after / gates of the step
 * processed `p`-th (the G list only for cells that keep gates). The forward deletes them when
 * not training; otherwise they live until the reserve tensor is disposed. With a `checkpoint`
 * segment length S the reserve is only `[S_-1, S_{S-1}, S_{2S-1}, …]`: the state before each
 * S-step segment of the processing order, ⌈T/S⌉ textures (rnn/segments.ts).
 */
export const rnnForward: KernelFunc<'RnnForward', GpujsBackend> = (inputs, attrs, backend) => {
  const { mode, reverse, training } = attrs;
  const cell = RNN_CELLS[mode];
  const d = dims(inputs, mode, cell);
  const { B, T, H, W } = d;
  const dtype = inputs.x.dtype;
  const key = dimsKey(d);

  const outputs = (
    y: GpuValue | null,
    hN: GpuValue | null,
    cN: GpuValue | null,
    reserve: GpuValue[],
  ) => {
    const out: KernelOutputs<'RnnForward'> = {
      y: backend.make(y, [B, T, H], dtype),
      hN: backend.make(hN, [B, H], dtype),
      reserve: backend.makeReserve(reserve),
    };
    if (cell.hasCellState) out.cN = backend.make(cN, [B, H], dtype);
    return out;
  };
  if (B * H === 0) return outputs(null, null, null, []);

  const h0 = backend.value(inputs.h0);
  const c0 = cell.hasCellState && inputs.c0 ? backend.value(inputs.c0) : undefined;
  if (T === 0) {
    const cN = cell.hasCellState
      ? c0
        ? backend.alias(c0)
        : backend.upload(new Float32Array(B * H))
      : null;
    return outputs(null, backend.alias(h0), cN, []);
  }

  const len = inputs.lengths ? backend.value(inputs.lengths) : undefined;
  const wHh = backend.value(inputs.wHh);
  const bHh = backend.value(inputs.bHh);
  const xp = inputProjection(
    backend,
    d,
    backend.value(inputs.x),
    backend.value(inputs.wIh),
    backend.value(inputs.bIh),
  );
  const segment = training ? (attrs.checkpoint ?? 0) : 0;
  const initial = cell.hasCellState ? pack(backend, d, h0, c0) : backend.alias(h0);
  const { states, gates } = runSteps(
    backend,
    { d, key, xp, wHh, bHh, len, reverse },
    initial,
    0,
    T,
  );
  backend.free(xp);

  const after = states.slice(1);
  const stacked = stack(backend, d, reverse ? [...after].reverse() : after, W);
  let y = stacked;
  if (cell.hasCellState || d.lengths) {
    y = backend.run(
      `rnn-y:${key}`,
      B * T * H,
      () => {
        const { code, coords } = unravel('i', [B, T, H], 'o');
        const [b, t, j] = coords;
        return kernelSource(
          d.lengths ? ['st', 'len'] : ['st'],
          [
            code,
            d.lengths ? `if (${t} >= len[${b}]) { return 0.0; }` : '',
            `return st[${b} * ${int(T * W)} + ${t === '0.0' ? '' : `${t} * ${int(W)} + `}${j}];`,
          ].join('\n'),
        );
      },
      d.lengths && len ? [stacked, len] : [stacked],
    );
    backend.free(stacked);
  }
  const last = states[T];
  const hN = cell.hasCellState ? half(backend, d, last, 0) : backend.alias(last);
  const cN = cell.hasCellState ? half(backend, d, last, H) : null;
  // Checkpointed: only the state before each segment stays; the backward recomputes the rest.
  const kept = !training
    ? []
    : segment > 0
      ? states.filter((_, p) => p < T && p % segment === 0)
      : [...states, ...gates];
  for (const v of [...states, ...gates]) if (!kept.includes(v)) backend.free(v);
  return outputs(y, hN, cN, kept);
};
