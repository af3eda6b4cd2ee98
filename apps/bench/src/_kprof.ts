// temp kernel profiler (not committed)
import * as core from '@rnnkit/core';
import { wasmKernels } from '@rnnkit/backend-wasm';
import { getWorkload } from './workloads.js';
const id = process.argv[2] ?? 'W2';
await core.setBackend('wasm');
const totals = new Map<string, { ms: number; n: number }>();
let on = false;
for (const [name, fn] of Object.entries(wasmKernels)) {
  core.registerKernel(name as core.KernelName, 'wasm', ((...a: unknown[]) => {
    const t0 = performance.now();
    const r = (fn as (...x: unknown[]) => unknown)(...a);
    if (on) { const e = totals.get(name) ?? { ms: 0, n: 0 }; e.ms += performance.now() - t0; e.n++; totals.set(name, e); }
    return r;
  }) as never);
}
const { runRnnkit } = await import('./engines/rnnkit.js');
// Warm up through the normal child path, then profile a manual loop.
const mod = await import('./engines/rnnkit.js');
void runRnnkit; void mod;
const w = getWorkload(id);
const { makeBatch } = await import('./workloads.js');
const { Adam, categoricalCrossEntropy, Dense, LSTM } = await import('@rnnkit/nn');
const rec = new LSTM({ inputSize: w.inputSize, hiddenSize: w.hidden, numLayers: w.layers, bidirectional: w.bidirectional, returnSequences: true });
const head = new Dense({ inputSize: (w.bidirectional ? 2 : 1) * w.hidden, units: w.units });
const b = makeBatch(w);
const x = core.tensor(b.x, b.xShape); const y = core.tensor(b.y, b.yShape);
const params = [...rec.parameters(), ...head.parameters()];
const adam = new Adam({ lr: 1e-3 });
const step = () => { const v = core.tidy(() => { const { value, grads } = core.variableGrads(() => { const { output, hN } = rec.forward(x, { training: true }); const D = w.bidirectional ? 2 : 1; const top = core.slice(hN, [(w.layers - 1) * D, 0, 0], [D, w.batch, w.hidden]); const f = D === 1 ? core.reshape(top, [w.batch, w.hidden]) : core.reshape(core.transpose(top, [1, 0, 2]), [w.batch, D * w.hidden]); void output; return categoricalCrossEntropy(head.apply(f), y); }, params); adam.applyGradients(params, grads); return value; }); const r = v.item(); v.dispose(); return r; };
for (let i = 0; i < 5; i++) step();
on = true;
const N = 30; const t0 = performance.now();
for (let i = 0; i < N; i++) step();
const total = (performance.now() - t0) / N;
console.log(`${id}: ${total.toFixed(2)} ms/step`);
const rows = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
let acc = 0;
for (const [k, v] of rows) { acc += v.ms / N; console.log(`${k.padEnd(14)} ${(v.ms / N).toFixed(3)} ms/step  ${(v.n / N).toFixed(1)} calls`); }
console.log(`kernels total ${acc.toFixed(2)} ms, other ${(total - acc).toFixed(2)} ms`);
