/**
 * Random fused recurrent cases and one forward-plus-backward run of them on a backend, for the
 * wasm tests.
 */
import type { Backend, KernelFunc, RnnMode, TensorInfo } from '@rnnkit/core';
import { GATES_PER_MODE } from '@rnnkit/core';
import { type HostTensor, randomF32, upload } from './helpers.js';

/** Host inputs of one fused recurrent call plus the cotangents for its backward pass. */
export interface RnnCase {
  mode: RnnMode;
  reverse: boolean;
  x: HostTensor;
  wIh: HostTensor;
  wHh: HostTensor;
  bIh: HostTensor;
  bHh: HostTensor;
  h0: HostTensor;
  c0?: HostTensor;
  lengths?: HostTensor;
  dy: HostTensor;
  dhN: HostTensor;
  dcN?: HostTensor;
  /** The kernels' checkpoint segment length (absent: the plain path). */
  checkpoint?: number;
}

/** A random case of the given sizes. */
export function randomRnnCase(
  random: () => number,
  mode: RnnMode,
  B: number,
  T: number,
  I: number,
  H: number,
  reverse: boolean,
  lengths?: number[],
): RnnCase {
  const G = GATES_PER_MODE[mode];
  const scale = 1 / Math.sqrt(H);
  const c: RnnCase = {
    mode,
    reverse,
    x: randomF32([B, T, I], random),
    wIh: randomF32([G * H, I], random, -scale, scale),
    wHh: randomF32([G * H, H], random, -scale, scale),
    bIh: randomF32([G * H], random, -scale, scale),
    bHh: randomF32([G * H], random, -scale, scale),
    h0: randomF32([B, H], random, -0.5, 0.5),
    dy: randomF32([B, T, H], random),
    dhN: randomF32([B, H], random),
  };
  if (mode === 'LSTM') {
    c.c0 = randomF32([B, H], random, -0.5, 0.5);
    c.dcN = randomF32([B, H], random);
  }
  if (lengths) c.lengths = { values: Int32Array.from(lengths), shape: [B], dtype: 'int32' };
  return c;
}

/** Runs RnnForward (training) and RnnBackward on `backend`; returns every output read back. */
export function runRnn(backend: Backend, c: RnnCase): Record<string, HostTensor> {
  const owned: TensorInfo[] = [];
  const up = (t: HostTensor | undefined): TensorInfo | undefined => {
    if (!t) return undefined;
    const info = upload(backend, t);
    owned.push(info);
    return info;
  };
  const inputs = {
    x: up(c.x)!,
    wIh: up(c.wIh)!,
    wHh: up(c.wHh)!,
    bIh: up(c.bIh)!,
    bHh: up(c.bHh)!,
    h0: up(c.h0)!,
    c0: up(c.c0),
    lengths: up(c.lengths),
  };
  const forward = backend.kernels.RnnForward as unknown as KernelFunc<'RnnForward', Backend>;
  const backward = backend.kernels.RnnBackward as unknown as KernelFunc<'RnnBackward', Backend>;
  const attrs = { mode: c.mode, reverse: c.reverse, checkpoint: c.checkpoint };
  const fwd = forward(inputs, { ...attrs, training: true }, backend);
  owned.push(fwd.y, fwd.hN, fwd.reserve);
  if (fwd.cN) owned.push(fwd.cN);
  const bwd = backward(
    { ...inputs, y: fwd.y, reserve: fwd.reserve, dy: up(c.dy)!, dhN: up(c.dhN)!, dcN: up(c.dcN) },
    attrs,
    backend,
  );
  const out: Record<string, HostTensor> = {};
  const read = (name: string, info: TensorInfo | undefined) => {
    if (!info) return;
    out[name] = {
      values: backend.readSync(info.dataId) as Float32Array | Int32Array,
      shape: info.shape,
      dtype: info.dtype,
    };
  };
  read('y', fwd.y);
  read('hN', fwd.hN);
  read('cN', fwd.cN);
  for (const [k, v] of Object.entries(bwd)) {
    read(k, v);
    if (v) owned.push(v);
  }
  for (const info of owned) backend.disposeData(info.dataId);
  return out;
}
