// The optional engines: which workloads they run, how they are found, and ONNX Runtime's run
// of rnnkit's exported W1 model (onnxruntime-node is a dependency of the app).
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  engineSupports,
  findTorchPython,
  PYTHON_ENV,
  probeEngine,
} from '../src/engines/availability.js';
import { parseChildArgs } from '../src/engines/child.js';
import { runOnnxRuntime } from '../src/engines/onnxruntime.js';
import { PYTORCH_THREADS, torchJob, workerEnv } from '../src/engines/pytorch.js';
import { lossTrajectory } from '../src/engines/rnnkit.js';
import { PARITY_RTOL, trajectoryDiff } from '../src/parity.js';
import { initialWeights } from '../src/weights.js';
import { getWorkload, makeBatch, WORKLOADS } from '../src/workloads.js';

describe('engine coverage', () => {
  it('runs ONNX Runtime on LSTM inference only and PyTorch on every unrestricted recurrent workload', () => {
    const ort = WORKLOADS.filter((w) => engineSupports('onnxruntime', w)).map((w) => w.id);
    expect(ort).toContain('W1');
    expect(ort).not.toContain('W2');
    expect(ort).not.toContain('MM512');
    const torch = WORKLOADS.filter((w) => engineSupports('pytorch', w)).map((w) => w.id);
    expect(torch).toEqual(WORKLOADS.filter((w) => w.kind === 'rnn' && !w.only).map((w) => w.id));
    expect(torch).not.toContain('L1');
    expect(engineSupports('rnnkit', getWorkload('MM512'))).toBe(true);
  });

  it('says why PyTorch is missing, naming the interpreter it tried', () => {
    const found = findTorchPython({ [PYTHON_ENV]: '/nonexistent/python3' });
    expect(found).toEqual({
      missing: expect.stringMatching(/\/nonexistent\/python3: not found.*python3-torch/),
    });
    expect(probeEngine('onnxruntime')).toBeUndefined();
  });
});

describe('PyTorch job', () => {
  it('carries the workload, data and shared weights as float32 bytes', () => {
    const w = getWorkload('W4');
    const job = torchJob(w, 3, 1) as {
      x: { shape: number[]; b64: string };
      recurrent: Record<string, { shape: number[]; b64: string }>;
      runs: number;
      paritySteps: number;
    };
    const decode = (b64: string) => {
      const b = Buffer.from(b64, 'base64');
      return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    };
    expect(job.x.shape).toEqual([32, 50, 64]);
    expect(decode(job.x.b64)).toEqual(makeBatch(w).x);
    expect(decode(job.recurrent.weight_hh_l0.b64)).toEqual(
      initialWeights(w).recurrent.weight_hh_l0.data,
    );
    expect(job.runs).toBe(3);
    expect(job.paritySteps).toBe(3);
  });

  it('runs on every core and on one thread, torch and OpenBLAS with one count', () => {
    expect(PYTORCH_THREADS.cpu(2)).toBe(2);
    expect(PYTORCH_THREADS['cpu-1t'](2)).toBe(1);
    expect(workerEnv({ PATH: '/bin' }, 2)).toEqual({
      PATH: '/bin',
      OMP_NUM_THREADS: '2',
      OPENBLAS_NUM_THREADS: '2',
      RNNKIT_BENCH_TORCH_THREADS: '2',
    });
  });
});

describe('ONNX Runtime engine', () => {
  it("runs rnnkit's exported W1 model and agrees with rnnkit", async () => {
    const opts = parseChildArgs([
      '--workload',
      'W1',
      '--backend',
      'cpu',
      '--runs',
      '1',
      '--warmup',
      '0',
    ]);
    const row = await runOnnxRuntime(opts);
    expect(row.error).toBeUndefined();
    expect(row.notes?.[0]).toMatch(/^outputs agree with rnnkit\/cpu/);
    expect(trajectoryDiff(row.trajectory ?? [], lossTrajectory(opts.workload))).toBeLessThanOrEqual(
      PARITY_RTOL,
    );
    expect(row.runs).toBe(1);
  });

  it('refuses what it does not run, with the reason', async () => {
    const train = await runOnnxRuntime(parseChildArgs(['--workload', 'W2', '--backend', 'cpu']));
    expect(train.error).toMatch(/LSTM inference workloads only/);
    const wasm = await runOnnxRuntime(parseChildArgs(['--workload', 'W1', '--backend', 'wasm']));
    expect(wasm.error).toMatch(/unknown onnxruntime backend 'wasm'/);
  });
});

describe('PyTorch engine', () => {
  it('refuses an unknown backend and the matmul probe, with the reason', async () => {
    const { runPytorch } = await import('../src/engines/pytorch.js');
    const gpu = await runPytorch(parseChildArgs(['--workload', 'W2', '--backend', 'cuda']));
    expect(gpu.error).toMatch(/unknown pytorch backend 'cuda' \(expected cpu or cpu-1t\)/);
    const mm = await runPytorch(parseChildArgs(['--workload', 'MM512', '--backend', 'cpu']));
    expect(mm.error).toMatch(/recurrent workloads only/);
  });
});
