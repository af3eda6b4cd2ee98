/**
 * cpu's `Unary` kernel in float64 far in the tails, where a scale-relative comparison (the
 * conformance suite's) cannot see a relative error: sigmoid and softplus stay finite and exact to
 * the last bits. Every backend-agnostic `Unary` case is in @rnnkit/conformance.
 */
import { describe, expect, it } from 'vitest';
import { expectClose, get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { unary } from './Unary.js';

describe('Unary', () => {
  it('keeps extreme sigmoid and softplus arguments finite and accurate', () => {
    const backend = new CpuBackend();
    const x = put(backend, [-800, 800, -40], [3]);
    const [low, high, small] = get(backend, unary({ x }, { op: 'sigmoid' }, backend).y);
    expect([low, high]).toEqual([0, 1]);
    // Relative accuracy in the far tail, where 1 - sigmoid(40) would have cancelled to 0.
    expect(Math.abs(small / (1 / (1 + Math.exp(40))) - 1)).toBeLessThan(1e-15);
    expectClose(
      get(backend, unary({ x }, { op: 'softplus' }, backend).y),
      [0, 800, Math.exp(-40)],
      1e-15,
    );
  });
});
