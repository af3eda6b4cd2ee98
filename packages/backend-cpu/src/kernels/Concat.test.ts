/**
 * cpu's `Concat` of a single input makes new storage rather than aliasing its input. Every
 * backend-agnostic `Concat` case is in @rnnkit/conformance.
 */
import { describe, expect, it } from 'vitest';
import { get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { concat } from './Concat.js';

describe('Concat', () => {
  it('copies a single input', () => {
    const backend = new CpuBackend();
    const a = put(backend, [1, 2], [2]);
    const { y } = concat({ xs: [a] }, { axis: 0 }, backend);
    expect(y.dataId).not.toBe(a.dataId);
    expect(get(backend, y)).toEqual([1, 2]);
  });
});
