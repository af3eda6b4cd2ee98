/**
 * Tests of cpu's `LogSoftmax` kernel along the last axis.
 */
import { describe, expect, it } from 'vitest';
import { expectClose, get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { logSoftmax } from './LogSoftmax.js';

describe('LogSoftmax', () => {
  it('is x minus the log-sum-exp of its row', () => {
    const backend = new CpuBackend();
    const { y } = logSoftmax({ x: put(backend, [0, Math.log(3), 2, 2], [2, 2]) }, {}, backend);
    expectClose(
      get(backend, y),
      [Math.log(0.25), Math.log(0.75), Math.log(0.5), Math.log(0.5)],
      1e-15,
    );
  });

  it('stays finite where softmax underflows', () => {
    const backend = new CpuBackend();
    const { y } = logSoftmax({ x: put(backend, [0, -1000], [2]) }, {}, backend);
    expectClose(get(backend, y), [0, -1000], 1e-15);
  });

  it('gives -Infinity for masked entries without turning the row into NaN', () => {
    const backend = new CpuBackend();
    const { y } = logSoftmax({ x: put(backend, [0, Number.NEGATIVE_INFINITY], [2]) }, {}, backend);
    expect(get(backend, y)).toEqual([0, Number.NEGATIVE_INFINITY]);
  });
});
