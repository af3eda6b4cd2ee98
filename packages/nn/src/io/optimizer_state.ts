/** Optimizer state ↔ bytes: a safetensors file with one tensor per slot (browser-safe). */
import { FormatError } from '@rnnkit/core';
import type { OptimizerState, SlotValue } from '../optimizers/optimizer.js';
import { readSafetensors, type SafetensorsInput, writeSafetensors } from './safetensors.js';

/**
 * Encodes an {@link OptimizerState} as safetensors: tensor `"<i>/<slot>"` holds slot `slot` of
 * parameter `i`; the metadata holds the class name, the update count and the parameter count.
 * @example
 * ```ts
 * const w = variable(tensor([1, -2]), 'w');
 * const adam = new Adam({ lr: 0.1 });
 * adam.applyGradients([w], [tensor([0.5, 0.5])]);
 * const bytes = encodeOptimizerState(adam.getState([w]));
 * const back = decodeOptimizerState(bytes);
 * check([back.className, back.iterations, back.slots[0].m.data], ['Adam', 1, [0.05, 0.05]]);
 * ```
 */
export function encodeOptimizerState(state: OptimizerState): ArrayBuffer {
  const tensors: Record<string, SafetensorsInput> = {};
  state.slots.forEach((slots, i) => {
    for (const [name, s] of Object.entries(slots))
      tensors[`${i}/${name}`] = {
        dtype: s.data instanceof Float64Array ? 'F64' : 'F32',
        shape: s.shape,
        data: s.data,
      };
  });
  return writeSafetensors(tensors, {
    format: 'rnnkit-optimizer-state',
    className: state.className,
    iterations: String(state.iterations),
    parameters: String(state.slots.length),
  });
}

/** Decodes {@link encodeOptimizerState}'s bytes; anything else is a `FormatError` saying what is wrong. */
export function decodeOptimizerState(bytes: ArrayBuffer | Uint8Array): OptimizerState {
  const { tensors, metadata } = readSafetensors(bytes);
  if (metadata.format !== 'rnnkit-optimizer-state')
    throw new FormatError(
      `not an rnnkit optimizer state: metadata 'format' is ${JSON.stringify(metadata.format)}, expected 'rnnkit-optimizer-state'`,
    );
  const iterations = Number(metadata.iterations);
  const count = Number(metadata.parameters);
  if (!(Number.isInteger(iterations) && iterations >= 0 && Number.isInteger(count) && count >= 0))
    throw new FormatError(
      `corrupt optimizer state: 'iterations' ${metadata.iterations} and 'parameters' ${metadata.parameters} must be non-negative integers`,
    );
  const slots: Record<string, SlotValue>[] = Array.from({ length: count }, () => ({}));
  for (const [key, t] of tensors) {
    const m = /^(\d+)\/(.+)$/.exec(key);
    const i = m ? Number(m[1]) : -1;
    if (!m || i >= count)
      throw new FormatError(
        `corrupt optimizer state: tensor '${key}' is not '<parameter < ${count}>/<slot>'`,
      );
    slots[i][m[2]] = {
      shape: [...t.shape],
      data: t.data instanceof Float64Array ? t.data : Float32Array.from(t.data),
    };
  }
  return { className: metadata.className ?? '', iterations, slots };
}
