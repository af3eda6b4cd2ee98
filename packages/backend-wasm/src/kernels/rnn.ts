import type { KernelFunc, KernelOutputs, RnnMode } from '@rnnkit/core';
import { rnnSizes, sizeOf } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';

/** Mode codes of the AssemblyScript kernels. */
const MODE_CODES: Readonly<Record<RnnMode, number>> = {
  RNN_TANH: 0,
  RNN_RELU: 1,
  LSTM: 2,
  GRU: 3,
};

function modeCode(mode: RnnMode): number {
  const code = MODE_CODES[mode];
  if (code === undefined) throw new RangeError(`wasm backend: unknown RNN mode ${String(mode)}`);
  return code;
}

/**
 * Fused recurrent forward pass: one call into WebAssembly per sequence. The module computes the
 * input projection of all steps as one product, then runs the recurrence with W_hh packed once
 * and the cell non-linearities applied right after each step's product. With `training` the
 * reserve (`[n]` float32, layout documented in `assembly/rnn.ts`) keeps the gate activations and
 * the states each step read; otherwise it is returned empty.
 */
export const rnnForward: KernelFunc<'RnnForward', WasmBackend> = (inputs, attrs, backend) => {
  const { x, wIh, wHh, bIh, bHh, h0, c0, lengths } = inputs;
  const { B, T, I, H } = rnnSizes(inputs, attrs.mode);
  const code = modeCode(attrs.mode);
  const isLstm = attrs.mode === 'LSTM';
  const wasm = backend.wasm;
  const reserveFloats = wasm.rnnReserveFloats(code, B, T, H);

  const y = backend.output([B, T, H], 'float32');
  const hN = backend.output([B, H], 'float32');
  const cN = isLstm ? backend.output([B, H], 'float32') : undefined;
  const reserve = attrs.training ? backend.output([reserveFloats], 'float32') : undefined;
  const reservePtr = reserve ? reserve.ptr : backend.allocTemp(reserveFloats * 4);
  try {
    wasm.rnnForward(
      code,
      B,
      T,
      I,
      H,
      backend.ptr(x),
      backend.ptr(wIh),
      backend.ptr(wHh),
      backend.ptr(bIh),
      backend.ptr(bHh),
      backend.ptr(h0),
      isLstm && c0 ? backend.ptr(c0) : 0,
      lengths ? backend.ptr(lengths) : 0,
      attrs.reverse ? 1 : 0,
      y.ptr,
      hN.ptr,
      cN ? cN.ptr : 0,
      reservePtr,
    );
  } finally {
    if (!reserve) backend.freeTemp(reservePtr);
  }
  const outputs: KernelOutputs<'RnnForward'> = {
    y: y.info,
    hN: hN.info,
    reserve: reserve ? reserve.info : backend.output([0], 'float32').info,
  };
  if (cN) outputs.cN = cN.info;
  return outputs;
};

/**
 * Fused backward pass (backpropagation through time), one call into WebAssembly: the steps are
 * replayed in reverse with W_hh packed once, then dx, dW_ih, dW_hh and the bias gradients come
 * from single products and column sums over all steps.
 */
export const rnnBackward: KernelFunc<'RnnBackward', WasmBackend> = (inputs, attrs, backend) => {
  const { x, wIh, wHh, lengths, reserve, dy, dhN, dcN } = inputs;
  const { B, T, I, H, GH } = rnnSizes(inputs, attrs.mode);
  const code = modeCode(attrs.mode);
  const isLstm = attrs.mode === 'LSTM';
  const wasm = backend.wasm;
  const expected = wasm.rnnReserveFloats(code, B, T, H);
  if (sizeOf(reserve.shape) !== expected) {
    throw new RangeError(
      `wasm backend: RnnBackward needs the reserve of a training-mode RnnForward (${expected} values), got ${sizeOf(reserve.shape)}`,
    );
  }
  const dx = backend.output([B, T, I], 'float32');
  const dWIh = backend.output([GH, I], 'float32');
  const dWHh = backend.output([GH, H], 'float32');
  const dBIh = backend.output([GH], 'float32');
  const dBHh = backend.output([GH], 'float32');
  const dh0 = backend.output([B, H], 'float32');
  const dc0 = isLstm ? backend.output([B, H], 'float32') : undefined;
  const work = backend.allocTemp(wasm.rnnBackwardWorkFloats(code, B, T, H) * 4);
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
      dx.ptr,
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
