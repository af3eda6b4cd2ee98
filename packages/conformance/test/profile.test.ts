/** Backend profiles: validation, static and traced exclusions, stale keys, kernel tracing. */
import { CpuBackend } from '@rnnkit/backend-cpu';
import type { Backend } from '@rnnkit/core';
import {
  add,
  ENGINE,
  initBackend,
  registerBackend,
  removeBackend,
  setBackend,
  tensor,
  tidy,
  transpose,
  unary,
} from '@rnnkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KernelTrace,
  ProfileError,
  runConformance,
  staleExclusions,
  staticExclusion,
  tracedExclusion,
  traceKey,
  UnsupportedKernelError,
  validateProfile,
} from '../src/index.js';

/** cpu under another name, with some kernels removed and other dtypes. */
function variant(name: string, without: string[] = [], dtypes?: string[]): Backend {
  const inner = new CpuBackend();
  const b = Object.create(inner) as Backend;
  const kernels = { ...inner.kernels } as Record<string, unknown>;
  for (const k of without) delete kernels[k];
  Object.defineProperty(b, 'name', { value: name });
  Object.defineProperty(b, 'kernels', { value: kernels });
  if (dtypes) Object.defineProperty(b, 'dtypes', { value: dtypes });
  return b;
}

const f32 = variant('profile-f32', [], ['float32', 'int32']);

describe('validateProfile', () => {
  it('accepts a consistent profile', () => {
    expect(() =>
      validateProfile(
        {
          unsupportedDTypes: { float64: 'no f64' },
          unsupportedKernels: { AdamUpdate: 'later' },
          exclusions: { 'kernel/MatMul': 'why' },
        },
        f32,
      ),
    ).not.toThrow();
  });
  it('rejects empty reasons, declared dtypes and unknown kernels, naming the field', () => {
    expect(() => validateProfile({ exclusions: { gradient: ' ' } }, f32)).toThrow(
      /exclusion 'gradient' needs a reason/,
    );
    expect(() => validateProfile({ unsupportedDTypes: { float32: 'x' } }, f32)).toThrow(
      /unsupportedDTypes.float32: backend 'profile-f32' lists float32/,
    );
    expect(() => validateProfile({ unsupportedKernels: { Conv2D: 'x' } as never }, f32)).toThrow(
      ProfileError,
    );
  });
});

describe('exclusions', () => {
  it('come from missing dtypes first, then unsupported kernels, then keys', () => {
    const profile = {
      unsupportedDTypes: { float64: 'no 64-bit floats on this device' },
      unsupportedKernels: { Pad: 'not written' },
      exclusions: { 'kernel/Pad/float32/[1]': 'covered twice' },
    };
    expect(
      staticExclusion(profile, f32, 'kernel/Pad/float64/[1]', {
        dtypes: ['float64'],
        kernel: 'Pad',
      }),
    ).toEqual({
      key: 'dtype:float64',
      reason:
        "needs float64, which backend 'profile-f32' does not support (dtypes: float32, int32): no 64-bit floats on this device",
    });
    expect(
      staticExclusion(profile, f32, 'kernel/Pad/float32/[1]', {
        dtypes: ['float32'],
        kernel: 'Pad',
      }),
    ).toEqual({ key: 'kernel:Pad', reason: 'kernel Pad is not supported: not written' });
    expect(
      staticExclusion({ exclusions: profile.exclusions }, f32, 'kernel/Pad/float32/[1]/x', {
        dtypes: ['float32'],
      }),
    ).toEqual({ key: 'kernel/Pad/float32/[1]', reason: 'covered twice' });
    expect(staticExclusion(profile, f32, 'gradient/pad', { dtypes: ['float32'] })).toBeUndefined();
    expect(tracedExclusion(profile, ['MatMul', 'Pad'])?.reason).toBe(
      'calls kernel Pad, which is not supported: not written',
    );
    expect(tracedExclusion(profile, ['MatMul', 'Unary/tanh'])).toBeUndefined();
  });
  it('that match no case are stale', () => {
    const ids = ['kernel/Pad/float32/[1]', 'gradient/pad'];
    expect(
      staleExclusions({ exclusions: { 'kernel/*/float32': 'a', gradient: 'b', x: 'c' } }, ids),
    ).toEqual(['x']);
  });
});

describe('KernelTrace', () => {
  beforeAll(async () => {
    registerBackend('trace-me', () => variant('trace-me', ['Transpose']), 0);
    await initBackend('cpu');
    await setBackend('trace-me');
  });
  afterAll(async () => {
    await setBackend('cpu');
    removeBackend('trace-me');
  });

  it('keys calls by kernel and op or mode', () => {
    expect(traceKey('Unary', { op: 'tanh' })).toBe('Unary/tanh');
    expect(traceKey('RnnForward', { mode: 'GRU', reverse: false })).toBe('RnnForward/GRU');
    expect(traceKey('MatMul', { transposeA: false })).toBe('MatMul');
  });

  it('records the kernels a function calls, and throws clearly for an unsupported missing one', async () => {
    const trace = new KernelTrace('trace-me', ['Transpose']);
    try {
      const { kernels } = await trace.record(() =>
        tidy(() => add(unary('tanh', tensor([1, -2])), tensor([1, 1])).dataSync()),
      );
      expect(kernels).toEqual(['Binary/add', 'Unary/tanh']);
      const failed = await trace.record(() => {
        try {
          tidy(() => transpose(tensor([[1, 2]])));
          return undefined;
        } catch (e) {
          return e;
        }
      });
      expect(failed.result).toBeInstanceOf(UnsupportedKernelError);
      expect(failed.kernels).toEqual(['Transpose']);
    } finally {
      trace.uninstall();
    }
    expect(ENGINE.getKernel('Unary', 'trace-me')).toBe(new CpuBackend().kernels.Unary);
  });

  it('excludes, with the reason, every case that calls a kernel declared unsupported', async () => {
    const report = await runConformance('trace-me', {
      unsupportedKernels: { Transpose: 'not written yet' },
      filter: [
        'registered/Transpose',
        'kernel/Transpose/float32',
        'gradient/transpose',
        'gradient/matMul',
      ],
    });
    const status = Object.fromEntries(report.cases.map((c) => [c.id, c.status]));
    expect(status['registered/Transpose']).toBe('excluded');
    expect(
      report.cases
        .filter((c) => c.id.startsWith('kernel/Transpose/'))
        .every((c) => c.status === 'excluded'),
    ).toBe(true);
    expect(status['gradient/transpose']).toBe('excluded');
    const tr = report.cases.find((c) => c.id === 'gradient/transpose');
    expect(tr?.exclusion?.reason).toMatch(
      /^calls kernel Transpose, which is not supported: not written yet/,
    );
    // matMul's gradient transposes through MatMul's own flags, not the Transpose kernel.
    expect(status['gradient/matMul']).toBe('passed');
    expect(report.summary.total.failed).toBe(0);
  });
});
