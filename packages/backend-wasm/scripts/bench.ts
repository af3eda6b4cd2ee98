/**
 * Local micro-benchmark (not a test): matrix-product GFLOP/s and one fused LSTM training step,
 * on one thread and on workers. The comparison with the other backends is `pnpm bench`
 * (apps/bench): a backend package does not depend on another backend, not even here.
 *   pnpm --filter @rnnkit/backend-wasm bench
 * (runs `tsx --conditions=source scripts/bench.ts`; needs build/rnnkit.wasm: `pnpm build:wasm`).
 */

import type { Backend, KernelFunc, TensorInfo } from '@rnnkit/core';
import { createWasmBackend } from '../src/index.js';

function info(backend: Backend, shape: number[], scale = 1): TensorInfo {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = (Math.random() - 0.5) * scale;
  return { dataId: backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
}

function time(fn: () => void, minMs = 400): number {
  fn();
  fn();
  let reps = 0;
  const start = performance.now();
  let now = start;
  do {
    fn();
    reps++;
    now = performance.now();
  } while (now - start < minMs);
  return (now - start) / reps;
}

function benchMatMul(
  backend: Backend,
  m: number,
  k: number,
  n: number,
  transposeB: boolean,
): string {
  const a = info(backend, [m, k]);
  const b = info(backend, transposeB ? [n, k] : [k, n]);
  const kernel = backend.kernels.MatMul as unknown as KernelFunc<'MatMul', Backend>;
  const ms = time(() => {
    const { y } = kernel({ a, b }, { transposeA: false, transposeB }, backend);
    backend.disposeData(y.dataId);
  });
  backend.disposeData(a.dataId);
  backend.disposeData(b.dataId);
  const gflops = (2 * m * n * k) / ms / 1e6;
  return `${backend.name.padEnd(4)} [${m}x${k}]·[${k}x${n}]${transposeB ? 'ᵀ' : ' '}: ${ms.toFixed(3)} ms  ${gflops.toFixed(1)} GFLOP/s`;
}

function benchLstm(backend: Backend, B: number, T: number, I: number, H: number): string {
  const G = 4;
  const s = 1 / Math.sqrt(H);
  const inputs = {
    x: info(backend, [B, T, I]),
    wIh: info(backend, [G * H, I], s),
    wHh: info(backend, [G * H, H], s),
    bIh: info(backend, [G * H], s),
    bHh: info(backend, [G * H], s),
    h0: info(backend, [B, H]),
    c0: info(backend, [B, H]),
  };
  const dy = info(backend, [B, T, H]);
  const dhN = info(backend, [B, H]);
  const dcN = info(backend, [B, H]);
  const forward = backend.kernels.RnnForward as unknown as KernelFunc<'RnnForward', Backend>;
  const backward = backend.kernels.RnnBackward as unknown as KernelFunc<'RnnBackward', Backend>;
  let fwdMs = 0;
  let calls = 0;
  const total = time(() => {
    const t0 = performance.now();
    const out = forward(inputs, { mode: 'LSTM', reverse: false, training: true }, backend);
    fwdMs += performance.now() - t0;
    calls++;
    const grads = backward(
      { ...inputs, y: out.y, reserve: out.reserve, dy, dhN, dcN },
      { mode: 'LSTM', reverse: false },
      backend,
    );
    for (const t of [...Object.values(out), ...Object.values(grads)])
      if (t) backend.disposeData(t.dataId);
  }, 1500);
  return `${backend.name.padEnd(4)} LSTM B=${B} T=${T} I=${I} H=${H}: forward+backward ${total.toFixed(2)} ms/step (forward ${(fwdMs / calls).toFixed(2)} ms)`;
}

for (const threads of [0, 'auto'] as const) {
  const wasm = await createWasmBackend({ threads });
  console.log(wasm.describe());
  for (const [m, k, n, tB] of [
    [512, 512, 512, false],
    [512, 512, 512, true],
    [32, 128, 512, false],
    [32, 128, 512, true],
    [1600, 64, 512, true],
  ] as const) {
    console.log(benchMatMul(wasm, m, k, n, tB));
  }
  console.log(benchLstm(wasm, 32, 50, 64, 128));
  if (wasm.threads > 1) console.log(`task parts run by workers: ${wasm.workerParts}`);
  wasm.dispose();
}
