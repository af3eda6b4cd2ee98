/**
 * Browser test page entry: bundled by esbuild into an IIFE (gpu.js comes from its own browser
 * build through its package's `browser` field) and run in headless Chromium. Runs one LSTM
 * forward and backward through the gpujs backend and the cpu backend and returns both.
 */
import '@rnnkit/backend-cpu';
import {
  add,
  getBackend,
  mul,
  removeBackend,
  rnnSequence,
  setBackend,
  sum,
  type Tensor,
  tensor,
  valueAndGrads,
} from '@rnnkit/core';
import { registerGpujsBackend } from '../../src/index.js';

interface LstmData {
  B: number;
  T: number;
  I: number;
  H: number;
  values: Record<string, number[]>;
  lengths: number[];
}

async function runOn(name: string, data: LstmData) {
  await setBackend(name);
  const { B, T, I, H, values } = data;
  const x = tensor(values.x, [B, T, I]);
  const wIh = tensor(values.wIh, [4 * H, I]);
  const wHh = tensor(values.wHh, [4 * H, H]);
  const bIh = tensor(values.bIh, [4 * H]);
  const bHh = tensor(values.bHh, [4 * H]);
  const h0 = tensor(values.h0, [B, H]);
  const c0 = tensor(values.c0, [B, H]);
  const dy = tensor(values.dy, [B, T, H]);
  const lengths = tensor(data.lengths, [B], 'int32');
  let y: number[] = [];
  const f = (...xs: Tensor[]) => {
    const out = rnnSequence({
      mode: 'LSTM',
      x: xs[0],
      wIh: xs[1],
      wHh: xs[2],
      bIh: xs[3],
      bHh: xs[4],
      h0,
      c0,
      lengths,
    });
    y = Array.from(out.y.dataSync());
    return add(sum(mul(out.y, dy)), sum(mul(out.hN, out.cN!)));
  };
  const { value, grads } = valueAndGrads(f)([x, wIh, wHh, bIh, bHh]);
  const backend = getBackend() as unknown as {
    describe(): string;
    mode?: string;
    kernelType?: string;
  };
  return {
    describe: backend.describe(),
    mode: backend.mode,
    kernelType: backend.kernelType,
    y,
    loss: Array.from(await value.data()),
    grads: await Promise.all(grads.map(async (g) => Array.from(await g.data()))),
  };
}

(
  globalThis as unknown as { runLstm: (d: LstmData, mode?: 'webgl' | 'webgl2') => Promise<unknown> }
).runLstm = async (data, mode) => {
  if (mode) {
    removeBackend('gpujs');
    registerGpujsBackend({ mode });
  }
  return { gpujs: await runOn('gpujs', data), cpu: await runOn('cpu', data) };
};
