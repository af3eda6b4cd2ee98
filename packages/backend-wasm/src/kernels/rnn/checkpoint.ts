// The checkpointed variants of the fused recurrent kernels (the `checkpoint` attribute): host
// side of assembly/rnn/checkpoint.ts.
import type { KernelInputs, KernelOutputs, RnnAttrs } from '@rnnkit/core';
import { RNN_MODES, rnnSizes, sizeOf, ValueError } from '@rnnkit/core';
import type { WasmBackend } from '../../backend.js';
import { opCode } from '../util/op_codes.js';

/** Floats of a checkpointed reserve: the state before each of ⌈T/S⌉ segments, `[B, K, SW]`. */
export function boundaryFloats(
  attrs: RnnAttrs,
  B: number,
  T: number,
  H: number,
  S: number,
): number {
  return B * Math.ceil(T / S) * (attrs.mode === 'LSTM' ? 2 : 1) * H;
}

/** Throws the backend's out-of-memory error when the module reports it could not get `bytes`. */
function checkWork(backend: WasmBackend, bytes: number): void {
  if (bytes > 0) throw backend.outOfMemory(bytes);
}

/**
 * Checkpointed training forward: outputs as the plain kernel's, with the segment boundaries as
 * the reserve. The module allocates its O(B·S) work itself.
 */
export function checkpointedForward(
  inputs: KernelInputs<'RnnForward'>,
  attrs: RnnAttrs,
  backend: WasmBackend,
  S: number,
): KernelOutputs<'RnnForward'> {
  const { x, wIh, wHh, bIh, bHh, h0, c0, lengths } = inputs;
  const { B, T, I, H } = rnnSizes(inputs, attrs.mode);
  const isLstm = attrs.mode === 'LSTM';
  const y = backend.output([B, T, H], 'float32');
  const hN = backend.output([B, H], 'float32');
  const cN = isLstm ? backend.output([B, H], 'float32') : undefined;
  const reserve = backend.output([boundaryFloats(attrs, B, T, H, S)], 'float32');
  const failed = backend.wasm.rnnForwardCheckpointed(
    opCode(RNN_MODES, attrs.mode, 'RNN mode'),
    B,
    T,
    I,
    H,
    S,
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
    reserve.ptr,
  );
  checkWork(backend, failed);
  const outputs: KernelOutputs<'RnnForward'> = { y: y.info, hN: hN.info, reserve: reserve.info };
  if (cN) outputs.cN = cN.info;
  return outputs;
}

/** Checkpointed backward: recomputes each segment from the boundaries in `inputs.reserve`. */
export function checkpointedBackward(
  inputs: KernelInputs<'RnnBackward'>,
  attrs: RnnAttrs,
  backend: WasmBackend,
  S: number,
): KernelOutputs<'RnnBackward'> {
  const { x, wIh, wHh, bIh, bHh, lengths, reserve, dy, dhN, dcN } = inputs;
  const { B, T, I, H, GH } = rnnSizes(inputs, attrs.mode);
  const isLstm = attrs.mode === 'LSTM';
  const expected = boundaryFloats(attrs, B, T, H, S);
  if (sizeOf(reserve.shape) !== expected) {
    throw new ValueError(
      `wasm backend: RnnBackward with checkpoint ${S} needs the reserve of a training-mode RnnForward with the same checkpoint (${expected} values), got ${sizeOf(reserve.shape)}`,
    );
  }
  const dx = backend.output([B, T, I], 'float32');
  const dWIh = backend.output([GH, I], 'float32');
  const dWHh = backend.output([GH, H], 'float32');
  const dBIh = backend.output([GH], 'float32');
  const dBHh = backend.output([GH], 'float32');
  const dh0 = backend.output([B, H], 'float32');
  const dc0 = isLstm ? backend.output([B, H], 'float32') : undefined;
  const failed = backend.wasm.rnnBackwardCheckpointed(
    opCode(RNN_MODES, attrs.mode, 'RNN mode'),
    B,
    T,
    I,
    H,
    S,
    backend.ptr(x),
    backend.ptr(wIh),
    backend.ptr(wHh),
    backend.ptr(bIh),
    backend.ptr(bHh),
    lengths ? backend.ptr(lengths) : 0,
    attrs.reverse ? 1 : 0,
    backend.ptr(reserve),
    dy ? backend.ptr(dy) : 0,
    backend.ptr(dhN),
    isLstm && dcN ? backend.ptr(dcN) : 0,
    dx.ptr,
    dWIh.ptr,
    dWHh.ptr,
    dBIh.ptr,
    dBHh.ptr,
    dh0.ptr,
    dc0 ? dc0.ptr : 0,
  );
  checkWork(backend, failed);
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
}
