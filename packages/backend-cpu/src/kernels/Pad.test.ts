/**
 * Tests of cpu's `Pad` kernel: every axis, zero and other values.
 */
import { describe, expect, it } from 'vitest';
import { get, put } from '../../test/tensors.js';
import { CpuBackend } from '../backend.js';
import { pad } from './Pad.js';

describe('Pad', () => {
  it('zero-pads each axis by its before and after amounts', () => {
    const backend = new CpuBackend();
    const { y } = pad(
      { x: put(backend, [1, 2, 3, 4], [2, 2]) },
      {
        paddings: [
          [1, 0],
          [0, 2],
        ],
        value: 0,
      },
      backend,
    );
    expect(y.shape).toEqual([3, 4]);
    expect(get(backend, y)).toEqual([0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0]);
  });

  it('pads with a constant value', () => {
    const backend = new CpuBackend();
    const { y } = pad({ x: put(backend, [5], [1]) }, { paddings: [[2, 1]], value: -1 }, backend);
    expect(get(backend, y)).toEqual([-1, -1, 5, -1]);
  });
});
