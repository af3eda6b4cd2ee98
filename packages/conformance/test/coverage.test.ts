/**
 * The suite covers the whole catalogue: every kernel has kernel cases, and every kernel whose
 * entry in core's gradient table is a function is called by some gradient check. A kernel
 * added without its conformance case, or with a gradient but no check of it, fails here.
 */
import '@rnnkit/backend-cpu';
import { GRADIENTS, KERNEL_NAMES } from '@rnnkit/core';
import { describe, expect, it } from 'vitest';
import { kernelCases, rnnCases, rnnCheckpointCases } from '../src/kernels/index.js';
import { kernelSuiteCases } from '../src/plan.js';
import { runConformance } from '../src/run_suite.js';

describe('the suite covers every kernel of the catalogue', () => {
  it('every kernel has kernel cases', () => {
    const ids = [...kernelCases(), ...rnnCases(), ...rnnCheckpointCases()].map((c) => c.id);
    const without = KERNEL_NAMES.filter((k) => !ids.some((id) => id.startsWith(`kernel/${k}/`)));
    expect(without).toEqual([]);
  });

  it('every kernel case has its own id (exclusions and filters address cases by id)', () => {
    const ids = kernelSuiteCases().map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('every differentiable kernel is called by a gradient check', async () => {
    const report = await runConformance('cpu', { parts: ['gradients'] });
    const called = new Set(report.cases.flatMap((c) => c.kernels.map((key) => key.split('/')[0])));
    const differentiable = KERNEL_NAMES.filter((k) => GRADIENTS[k] !== 'none');
    expect(differentiable.length).toBeGreaterThan(0);
    expect(differentiable.filter((k) => !called.has(k))).toEqual([]);
  }, 120_000);
});
