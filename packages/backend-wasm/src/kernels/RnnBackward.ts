// The RnnBackward kernel: one call into the module's fused backpropagation through time, both
// directions of a bidirectional layer in the same call (assembly/RnnBackward.ts).
import type { KernelFunc, KernelOutputs } from '@rnnkit/core';
import { checkReserve, RNN_MODES, rnnSizes, sizeOf } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { checkpointedBackward } from './rnn/checkpoint.js';
import { directionsFloats, plainBackwardWorkFloats, plainReserveFloats } from './rnn/sizes.js';
import { opCode } from './util/op_codes.js';

/**
 * Fused backward pass (backpropagation through time), one call into WebAssembly: the steps are
 * replayed in reverse with W_hh packed once, then dx, dW_ih, dW_hh and the bias gradients come
 * from single products and column sums over all steps. With `directions: 2` both directions in
 * the same call (their parts share the threads) and dx is the sum of theirs.
 */
export const rnnBackward: KernelFunc<'RnnBackward', WasmBackend> = (inputs, attrs, backend) => {
  const { x, wIh, wHh, lengths, reserve, dy, dhN, dcN } = inputs;
  const { B, T, I, H, GH, D } = rnnSizes(inputs, attrs.mode);
  const code = opCode(RNN_MODES, attrs.mode, 'RNN mode');
  const isLstm = attrs.mode === 'LSTM';
  const wasm = backend.wasm;
  const segment = attrs.checkpoint ?? 0;
  if (segment > 0) return checkpointedBackward(inputs, attrs, backend, segment);
  checkReserve(
    backend,
    directionsFloats(plainReserveFloats(attrs.mode, B, T, H), D),
    sizeOf(reserve.shape),
  );
  const stacked = (shape: number[]) => (D === 1 ? shape : [D, ...shape]);
  const dx = backend.output([B, T, I], 'float32');
  // With `inputGradient: false` the module skips the dx product (address 0): dx stays zero.
  const skipDx = attrs.inputGradient === false;
  if (skipDx) backend.fillStorage(dx.ptr, B * T * I, 'float32', 0);
  const dWIh = backend.output(stacked([GH, I]), 'float32');
  const dWHh = backend.output(stacked([GH, H]), 'float32');
  const dBIh = backend.output(stacked([GH]), 'float32');
  const dBHh = backend.output(stacked([GH]), 'float32');
  const dh0 = backend.output(stacked([B, H]), 'float32');
  const dc0 = isLstm ? backend.output(stacked([B, H]), 'float32') : undefined;
  // Each direction's work area, then (two directions) direction 1's dx.
  const workFloats =
    directionsFloats(plainBackwardWorkFloats(attrs.mode, B, T, H), D) + (D - 1) * B * T * I;
  const work = backend.allocTemp(workFloats * 4);
  try {
    wasm.rnnBackward(
      code,
      B,
      T,
      I,
      H,
      backend.ptr(x),
      backend.ptr(wIh),
      backend.ptr(wHh),
      lengths ? backend.ptr(lengths) : 0,
      attrs.reverse ? 1 : 0,
      D,
      backend.ptr(reserve),
      dy ? backend.ptr(dy) : 0,
      backend.ptr(dhN),
      isLstm && dcN ? backend.ptr(dcN) : 0,
      skipDx ? 0 : dx.ptr,
      dWIh.ptr,
      dWHh.ptr,
      dBIh.ptr,
      dBHh.ptr,
      dh0.ptr,
      dc0 ? dc0.ptr : 0,
      work,
    );
  } finally {
    backend.freeTemp(work);
  }
  const outputs: KernelOutputs<'RnnBackward'> = {
    dx: dx.info,
    dWIh: dWIh.info,
    dWHh: dWHh.info,
    dBIh: dBIh.info,
    dBHh: dBHh.info,
    dh0: dh0.info,
  };
  if (dc0) outputs.dc0 = dc0.info;
  return outputs;
};
