/**
 * The suite must catch broken backends: a backend that is cpu with one kernel subtly wrong
 * has to fail the matching kernel cases, the fixtures and the gradient checks, while every
 * other case still passes.
 */

import { CpuBackend } from '@rnnkit/backend-cpu';
import type { Backend, KernelFunc, KernelName, TensorInfo } from '@rnnkit/core';
import {
  ENGINE,
  initBackend,
  registerBackend,
  removeBackend,
  setBackend,
  sizeOf,
  typedArrayFor,
} from '@rnnkit/core';
import type { HostTensor } from '@rnnkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  gradientChecks,
  kernelCases,
  loadFixtureDir,
  rnnCases,
  runFixture,
  runGradientCheck,
  runKernelCase,
  shippedFixturesDir,
} from '../src/index.js';
import { rnnAbsentDyCases } from '../src/kernels/index.js';

const shipped = shippedFixturesDir();

/** cpu under another name, with some kernels replaced. */
function mutant(
  name: string,
  replace: (kernels: Record<string, unknown>) => void,
  dtypes?: string[],
): Backend {
  const inner = new CpuBackend();
  const b = Object.create(inner) as Backend & Record<string, unknown>;
  const kernels = { ...inner.kernels } as Record<string, unknown>;
  replace(kernels);
  Object.defineProperty(b, 'name', { value: name });
  Object.defineProperty(b, 'kernels', { value: kernels });
  if (dtypes) Object.defineProperty(b, 'dtypes', { value: dtypes });
  return b;
}

type AnyKernel = (
  inputs: never,
  attrs: never,
  backend: Backend,
) => Record<string, { dataId: object; shape: readonly number[]; dtype: string }>;

/** Wraps a kernel so that one output element is nudged by `delta` (relative to its magnitude). */
function nudge(
  kernels: Record<string, unknown>,
  kernel: KernelName,
  output: string,
  delta: number,
  when?: (attrs: { op?: string; training?: boolean }) => boolean,
) {
  const original = kernels[kernel] as AnyKernel;
  kernels[kernel] = ((inputs: never, attrs: never, backend: CpuBackend) => {
    const out = original(inputs, attrs, backend as never);
    if (when && !when(attrs)) return out;
    const info = out[output];
    const values = backend.values(info as never);
    if (values.length > 0)
      values[values.length - 1] += delta * Math.max(1, Math.abs(values[values.length - 1]));
    return out;
  }) as unknown as KernelFunc<KernelName, never>;
}

describe('the suite detects broken backends', () => {
  beforeAll(async () => {
    registerBackend(
      'mutant-tanh',
      () => mutant('mutant-tanh', (k) => nudge(k, 'Unary', 'y', 1e-3, (a) => a.op === 'tanh')),
      0,
    );
    registerBackend(
      'mutant-transpose',
      () =>
        mutant('mutant-transpose', (k) => {
          // A classic bug: the shape is permuted but the data is copied unmoved.
          k.Transpose = (
            inputs: { x: { shape: number[]; dtype: 'float32' } },
            attrs: { perm: number[] },
            backend: CpuBackend,
          ) => ({
            y: backend.make(
              backend.values(inputs.x as never).slice(),
              attrs.perm.map((p) => inputs.x.shape[p]),
              inputs.x.dtype,
            ),
          });
        }),
      0,
    );
    registerBackend(
      'mutant-rnn-bwd',
      () => mutant('mutant-rnn-bwd', (k) => nudge(k, 'RnnBackward', 'dWHh', 1e-3)),
      0,
    );
    registerBackend(
      'mutant-rnn-fwd',
      () => mutant('mutant-rnn-fwd', (k) => nudge(k, 'RnnForward', 'hN', 1e-6)),
      0,
    );
    registerBackend(
      'mutant-rnn-no-dy',
      () =>
        mutant('mutant-rnn-no-dy', (k) => {
          // Reads something where dy is absent (as a backend reading stale memory would): 1e-3
          // everywhere instead of zero.
          const original = k.RnnBackward as AnyKernel;
          k.RnnBackward = (
            inputs: { dy?: TensorInfo; y: TensorInfo },
            attrs: never,
            backend: CpuBackend,
          ) => {
            if (inputs.dy) return original(inputs as never, attrs, backend);
            const { shape, dtype } = inputs.y;
            const dy = backend.make(typedArrayFor(dtype, sizeOf(shape)).fill(1e-3), shape, dtype);
            try {
              return original({ ...inputs, dy } as never, attrs, backend);
            } finally {
              backend.disposeData(dy.dataId);
            }
          };
        }),
      0,
    );
    registerBackend('mutant-f32', () => mutant('mutant-f32', () => {}, ['float32', 'int32']), 0);
    await initBackend('cpu');
  });
  afterAll(async () => {
    for (const n of [
      'mutant-tanh',
      'mutant-transpose',
      'mutant-rnn-bwd',
      'mutant-rnn-fwd',
      'mutant-rnn-no-dy',
      'mutant-f32',
    ])
      removeBackend(n);
    await setBackend('cpu');
  });

  it('a tanh off by 1e-3 fails exactly the tanh kernel cases', async () => {
    const cases = kernelCases().filter((c) => c.kernel === 'Unary');
    for (const c of cases) {
      const r = await runKernelCase('mutant-tanh', c);
      expect(r.ok, `${c.id}: ${r.message}`).toBe(!c.id.includes('/tanh/'));
    }
  });

  it('a transpose that only permutes the shape fails the transpose cases (not those that move no data)', async () => {
    for (const c of kernelCases().filter((k) => k.kernel === 'Transpose')) {
      const r = await runKernelCase('mutant-transpose', c);
      // The row-major order is unchanged when the tensor is empty or the permutation keeps the
      // axes longer than 1 in order.
      const { shape, values } = c.inputs.x as HostTensor;
      const moved = (c.attrs.perm as number[]).filter((a) => shape[a] > 1);
      const identity = values.length === 0 || moved.every((a, i) => i === 0 || moved[i - 1] < a);
      expect(r.ok, `${c.id}: ${r.message}`).toBe(identity);
    }
  });

  it('a wrong recurrent weight gradient fails RnnBackward cases, fixtures and gradient checks', async () => {
    const bwd = rnnCases()
      .filter((c) => c.kernel === 'RnnBackward')
      .slice(0, 4);
    for (const c of bwd) expect((await runKernelCase('mutant-rnn-bwd', c)).ok, c.id).toBe(false);
    const fwd = rnnCases()
      .filter((c) => c.kernel === 'RnnForward')
      .slice(0, 4);
    for (const c of fwd) expect((await runKernelCase('mutant-rnn-bwd', c)).ok, c.id).toBe(true);

    await setBackend('mutant-rnn-bwd');
    try {
      const entry = loadFixtureDir(shipped).find((e) => e.name === 'lstm_l1_uni')!;
      const r = await runFixture(entry.fixture!, { dtype: 'float64', route: 'core' });
      expect(r.ok).toBe(false);
      expect(r.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['grad weight_hh_l0']);
      const g = gradientChecks().find((c) => c.id === 'gradient/rnnSequence/GRU/forward/full')!;
      const gr = runGradientCheck(g, { numRuns: 3 });
      expect(gr.ok).toBe(false);
      expect(gr.message).toMatch(/tape vs finite differences/);
    } finally {
      await setBackend('cpu');
    }
  });

  it('a backward that reads an absent dy as non-zero fails the dy=absent cases, only them', async () => {
    const absent = rnnAbsentDyCases();
    // float32 and float64, one and two directions, plain and checkpointed.
    for (const c of [...absent.slice(0, 8), ...absent.slice(-8)]) {
      expect((await runKernelCase('mutant-rnn-no-dy', c)).ok, c.id).toBe(false);
    }
    const given = rnnCases()
      .filter((c) => c.kernel === 'RnnBackward')
      .slice(0, 4);
    for (const c of given) expect((await runKernelCase('mutant-rnn-no-dy', c)).ok, c.id).toBe(true);
  });

  it('a final state off by 1e-6 fails the float64 fixtures, naming h_n', async () => {
    await setBackend('mutant-rnn-fwd');
    try {
      const entry = loadFixtureDir(shipped).find((e) => e.name === 'gru_l1_uni')!;
      const r64 = await runFixture(entry.fixture!, { dtype: 'float64', route: 'core' });
      expect(r64.ok).toBe(false);
      expect(r64.checks.find((c) => !c.ok)?.name).toBe('h_n');
    } finally {
      await setBackend('cpu');
    }
  });

  it('a backend without float64 is told which exclusion to list', async () => {
    await setBackend('mutant-f32');
    try {
      const r = runGradientCheck(gradientChecks()[0]);
      expect(r.ok).toBe(false);
      expect(r.message).toMatch(/does not support float64.*'gradient'/);
      const entry = loadFixtureDir(shipped)[0];
      const f = await runFixture(entry.fixture!, { dtype: 'float64', route: 'core' });
      expect(f.ok).toBe(false);
      expect(f.error).toMatch(/does not support float64/);
      expect(ENGINE.getKernel('MatMul', 'mutant-f32')).toBeTypeOf('function');
    } finally {
      await setBackend('cpu');
    }
  });
});
