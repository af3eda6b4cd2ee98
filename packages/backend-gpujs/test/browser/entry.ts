/**
 * Browser test page entry: bundled by esbuild into an IIFE (gpu.js comes from its own browser
 * build through its package's `browser` field) and run in headless Chromium. Runs one LSTM
 * forward and backward through the gpujs backend's fused kernels and through core's composed
 * reference on the same backend, and returns both.
 */
import { getBackend, removeBackend, setBackend } from '@rnnkit/core';
import type { RnnCotangents, RnnProblem } from '@rnnkit/test-utils';
import { runRnnPath } from '@rnnkit/test-utils/rnn-paths';
import { registerGpujsBackend } from '../../src/index.js';

(
  globalThis as unknown as {
    runLstm: (
      p: { problem: RnnProblem; cotangents: RnnCotangents },
      mode?: 'webgl' | 'webgl2',
    ) => Promise<unknown>;
  }
).runLstm = async ({ problem, cotangents }, mode) => {
  if (mode) {
    removeBackend('gpujs');
    registerGpujsBackend({ mode });
  }
  await setBackend('gpujs');
  const backend = getBackend() as unknown as {
    describe(): string;
    mode?: string;
    kernelType?: string;
  };
  return {
    describe: backend.describe(),
    mode: backend.mode,
    kernelType: backend.kernelType,
    fused: await runRnnPath('fused', problem, cotangents),
    composed: await runRnnPath('composed', problem, cotangents),
  };
};
