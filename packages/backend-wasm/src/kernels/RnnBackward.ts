// The RnnBackward kernel: one call into the module's fused backpropagation through time (assembly/RnnBackward.ts).
import type { KernelFunc, KernelOutputs } from '@rnnkit/core';
import { checkReserve, RNN_MODES, rnnSizes, sizeOf } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { checkpointedBackward } from './rnn/checkpoint.js';
import { plainBackwardWorkFloats, plainReserveFloats } from './rnn/sizes.js';
import { opCode } from './util/op_codes.js';

/**
 * Fused backward pass (backpropagation through time), one call into WebAssembly: the steps are
 * replayed in reverse with W_hh packed once, then dx, dW_ih, dW_hh and the bias gradients come
 * from single products and column sums over all steps.
 */
export const rnnBackward: KernelFunc<'RnnBackward', WasmBackend> = (inputs, attrs, backend) => {
  const { x, wIh, wHh, lengths, reserve, dy, dhN, dcN } = inputs;
  const { B, T, I, H, GH } = rnnSizes(inputs, attrs.mode);
  const code = opCode(RNN_MODES, attrs.mode, 'RNN mode');
  const isLstm = attrs.mode === 'LSTM';
  const wasm = backend.wasm;
  const segment = attrs.checkpoint ?? 0;
  if (segment > 0) return checkpointedBackward(inputs, attrs, backend, segment);
  checkReserve(backend, plainReserveFloats(attrs.mode, B, T, H), sizeOf(reserve.shape));
  const dx = backend.output([B, T, I], 'float32');
  // With `inputGradient: false` the module skips the dx product (address 0): dx stays zero.
  const skipDx = attrs.inputGradient === false;
  if (skipDx) backend.fillStorage(dx.ptr, B * T * I, 'float32', 0);
  const dWIh = backend.output([GH, I], 'float32');
  const dWHh = backend.output([GH, H], 'float32');
  const dBIh = backend.output([GH], 'float32');
  const dBHh = backend.output([GH], 'float32');
  const dh0 = backend.output([B, H], 'float32');
  const dc0 = isLstm ? backend.output([B, H], 'float32') : undefined;
  const work = backend.allocTemp(plainBackwardWorkFloats(attrs.mode, B, T, H) * 4);
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
      backend.ptr(reserve),
      backend.ptr(dy),
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
