/**
 * The types of the gradient contract: what a gradient function receives and returns, and the
 * table that gives every kernel one. Kept apart from the engine so that gradient modules, which
 * are written with ops, import no engine code.
 */
import type { KernelAttrs, KernelInputs, KernelName, KernelOutputs } from '../kernel_names.js';
import type { Tensor } from '../tensor.js';
import type { TensorInfo } from '../types.js';

/** Maps a kernel's `TensorInfo` slots to the `Tensor`s the op layer passes and receives. */
export type TensorsOf<T> = {
  [P in keyof T]: T[P] extends readonly TensorInfo[]
    ? Tensor[]
    : T[P] extends TensorInfo
      ? Tensor
      : T[P] extends TensorInfo | undefined
        ? Tensor | undefined
        : never;
};

/** What a gradient function receives besides the output gradients. */
export interface GradContext<K extends KernelName> {
  /** The forward inputs. */
  inputs: TensorsOf<KernelInputs<K>>;
  /** The forward outputs. */
  outputs: TensorsOf<KernelOutputs<K>>;
  /** The forward attributes. */
  attrs: KernelAttrs<K>;
  /**
   * Whether the loss gradient of input `name` is wanted: false for an input that none of the
   * tensors being differentiated reaches (training data, say). A gradient function may skip
   * the work of such a gradient and return undefined for it.
   */
  needsGradient(name: keyof KernelInputs<K> & string): boolean;
}

/**
 * The gradient of one kernel: given the loss gradients of its outputs (undefined where an
 * output did not reach the loss), returns the loss gradients of its inputs (undefined for
 * inputs that take none, like indices). Written once, with ops, for every backend.
 */
export type GradFunc<K extends KernelName> = (
  dys: Partial<TensorsOf<KernelOutputs<K>>>,
  ctx: GradContext<K>,
) => Partial<TensorsOf<KernelInputs<K>>>;

/**
 * A decided gradient for every kernel: its {@link GradFunc}, or `'none'` for a kernel whose
 * outputs no loss differentiates through (indices, optimizer updates, the backward pass
 * itself). A kernel added to the catalogue without an entry here is a compile error.
 */
export type GradientTable = { readonly [K in KernelName]: GradFunc<K> | 'none' };
