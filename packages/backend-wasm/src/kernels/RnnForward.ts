// The RnnForward kernel: one call into the module's fused recurrence per sequence and layer, both
// directions of a bidirectional layer in the same call (assembly/RnnForward.ts).
import type { KernelFunc, KernelOutputs } from '@rnnkit/core';
import { RNN_MODES, rnnSizes } from '@rnnkit/core';
import type { WasmBackend } from '../backend.js';
import { checkpointedForward } from './rnn/checkpoint.js';
import { directionsFloats, inferenceFloats, plainReserveFloats } from './rnn/sizes.js';
import { opCode } from './util/op_codes.js';

/**
 * Fused recurrent forward pass: one call into WebAssembly per sequence. The module computes the
 * input projection of all steps as one product, then runs the recurrence with W_hh packed once
 * and the cell non-linearities applied right after each step's product. With `training` the
 * reserve (`[n]` float32, layout documented in `assembly/rnn/layout.ts`) keeps the gate activations and
 * the states each step read; otherwise it is returned empty, and the module runs each step's
 * input projection just before its hidden product in a work area of one step's rows (nothing of
 * size T besides y, and the same results). With `directions: 2` the module
 * runs both directions, on two threads when the batch is too small to split (one reserve per
 * direction, stacked); the checkpointed forward of two directions is `rnn/both_directions.ts`'s.
 */
export const rnnForward: KernelFunc<'RnnForward', WasmBackend> = (inputs, attrs, backend) => {
  const { x, wIh, wHh, bIh, bHh, h0, c0, lengths } = inputs;
  const { B, T, I, H, D } = rnnSizes(inputs, attrs.mode);
  const code = opCode(RNN_MODES, attrs.mode, 'RNN mode');
  const isLstm = attrs.mode === 'LSTM';
  const wasm = backend.wasm;
  const segment = attrs.checkpoint ?? 0;
  if (attrs.training && segment > 0) return checkpointedForward(inputs, attrs, backend, segment);
  const reserveFloats = directionsFloats(
    attrs.training ? plainReserveFloats(attrs.mode, B, T, H) : inferenceFloats(attrs.mode, B, I, H),
    D,
  );
  const stateShape = D === 1 ? [B, H] : [D, B, H];

  const y = backend.output([B, T, D * H], 'float32');
  const hN = backend.output(stateShape, 'float32');
  const cN = isLstm ? backend.output(stateShape, 'float32') : undefined;
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
      D,
      y.ptr,
      hN.ptr,
      cN ? cN.ptr : 0,
      reservePtr,
      attrs.training ? 1 : 0,
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
