/**
 * Importing a PyTorch state dict from safetensors into a layer or model.
 */
import type { StateDict } from '../state_dict.js';
import { readSafetensors, type SafetensorsTensor } from './safetensors.js';

/** Anything with PyTorch-named parameters that loads a state dict (layers and models). */
export interface StateDictTarget {
  loadStateDict(stateDict: StateDict, options?: { strict?: boolean }): void;
}

/** Options of {@link loadSafetensors}. */
export interface LoadSafetensorsOptions {
  /** Refuse missing and unexpected names (default true, like PyTorch's `strict=True`). */
  strict?: boolean;
  /**
   * Keep only names starting with this prefix and strip it, e.g. `'rnn.'` to load the `rnn`
   * submodule of a bigger PyTorch model into one layer.
   */
  prefix?: string;
  /** Renames PyTorch keys to this model's names (applied after `prefix`). */
  rename?: (name: string) => string;
}

/** Turns read safetensors tensors into a state dict (values widened to float64, exact for F16/BF16/F32). */
export function safetensorsToStateDict(
  tensors: Map<string, SafetensorsTensor>,
  options: LoadSafetensorsOptions = {},
): StateDict {
  const out: StateDict = {};
  for (const [name, t] of tensors) {
    if (options.prefix && !name.startsWith(options.prefix)) continue;
    let key = options.prefix ? name.slice(options.prefix.length) : name;
    if (options.rename) key = options.rename(key);
    out[key] = { shape: t.shape, data: t.data };
  }
  return out;
}

/**
 * Loads a PyTorch `state_dict` saved as safetensors into a layer or model whose parameter
 * names match (`weight_ih_l0` for a bare `nn.LSTM`, `0.weight_ih_l0` for `nn.Sequential`,
 * `lstm.weight_ih_l0` for a module attribute), checking every name and shape first.
 * @example
 * ```ts
 * // Python: safetensors.torch.save_file(model.state_dict(), 'model.safetensors'), for a module
 * // whose attribute `rnn` is an nn.LSTM(8, 16). Here the same bytes are written from another LSTM:
 * const torchLstm = new LSTM({ inputSize: 8, hiddenSize: 16, seed: 1 });
 * const entries = Object.entries(torchLstm.stateDict());
 * const bytes = writeSafetensors(
 *   Object.fromEntries(entries.map(([name, t]) => [`rnn.${name}`, { dtype: 'F32' as const, ...t }])),
 * );
 * const lstm = new LSTM({ inputSize: 8, hiddenSize: 16 });
 * loadSafetensors(lstm, bytes, { prefix: 'rnn.' }); // every name and shape is checked first
 * const x = randomNormal([1, 4, 8]);
 * check(lstm.forward(x).output, torchLstm.forward(x).output);
 * ```
 */
export function loadSafetensors(
  target: StateDictTarget,
  buffer: ArrayBuffer | Uint8Array,
  options: LoadSafetensorsOptions = {},
): void {
  const { tensors } = readSafetensors(buffer);
  target.loadStateDict(safetensorsToStateDict(tensors, options), {
    strict: options.strict ?? true,
  });
}
