/**
 * The gradient of the fused recurrent kernel hands `RnnBackward` the cotangents the loss has: no
 * `dy` when the loss does not use the output sequence (absent means zero, and a zero tensor
 * shaped as `y` would cost as much memory as `y`), the loss's `dy` when it does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeBackend } from '../../test/fake_backend.js';
import {
  add,
  type KernelFunc,
  type KernelInputs,
  registerBackend,
  registerKernel,
  rnnSequence,
  setBackend,
  sum,
  valueAndGrads,
  zeros,
} from '../index.js';
import { typedArrayFor } from '../types.js';

const NAME = 'fake-rnn-gradient';
const [B, T, I, H] = [2, 3, 4, 5];
/** The inputs of every RnnBackward call of the current test. */
const calls: KernelInputs<'RnnBackward'>[] = [];

beforeAll(async () => {
  registerBackend(NAME, () => new FakeBackend(NAME), 0);
  const filled = (b: FakeBackend, shape: number[], value = 0) =>
    b.make(
      typedArrayFor(
        'float32',
        shape.reduce((p, q) => p * q, 1),
      ).fill(value),
      shape,
      'float32',
    );
  // Outputs of the right shapes (y and hN all ones); the values do not matter here.
  const forward: KernelFunc<'RnnForward', FakeBackend> = (_inputs, _attrs, b) => ({
    y: filled(b, [B, T, H], 1),
    hN: filled(b, [B, H], 1),
    reserve: filled(b, [1]),
  });
  const backward: KernelFunc<'RnnBackward', FakeBackend> = (inputs, _attrs, b) => {
    calls.push(inputs);
    return {
      dx: filled(b, [B, T, I]),
      dWIh: filled(b, [H, I]),
      dWHh: filled(b, [H, H]),
      dBIh: filled(b, [H]),
      dBHh: filled(b, [H]),
      dh0: filled(b, [B, H]),
    };
  };
  registerKernel('RnnForward', NAME, forward);
  registerKernel('RnnBackward', NAME, backward);
  await setBackend(NAME);
});

/** Differentiates `loss` of one RNN_TANH call with respect to its input weights. */
function differentiate(loss: (r: ReturnType<typeof rnnSequence>) => ReturnType<typeof sum>) {
  calls.length = 0;
  const wIh = zeros([H, I]);
  const { value, grads } = valueAndGrads((w) =>
    loss(
      rnnSequence({
        mode: 'RNN_TANH',
        x: zeros([B, T, I]),
        wIh: w,
        wHh: zeros([H, H]),
        bIh: zeros([H]),
        bHh: zeros([H]),
        h0: zeros([B, H]),
      }),
    ),
  )([wIh]);
  value.dispose();
  for (const g of grads) g.dispose();
  wIh.dispose();
  expect(calls).toHaveLength(1);
  return calls[0];
}

describe('RnnForward gradient', () => {
  it('passes no dy when the loss reads only the final state', () => {
    const inputs = differentiate((r) => sum(r.hN));
    expect(inputs.dy).toBeUndefined();
    expect(inputs.dhN.shape).toEqual([B, H]);
  });

  it("passes the loss's dy when the loss reads the output sequence", () => {
    const inputs = differentiate((r) => add(sum(r.y), sum(r.hN)));
    expect(inputs.dy?.shape).toEqual([B, T, H]);
    expect(inputs.dhN.shape).toEqual([B, H]);
  });

  it('still passes a zero dhN when the loss reads only the output sequence', () => {
    const inputs = differentiate((r) => sum(r.y));
    expect(inputs.dy?.shape).toEqual([B, T, H]);
    expect(inputs.dhN.shape).toEqual([B, H]);
  });
});
