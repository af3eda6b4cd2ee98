/**
 * The `Layer` interface and its serialisable configuration: what core knows of layers (nn
 * implements them).
 */
import type { Tensor, Variable } from './tensor.js';

/** A JSON-serialisable description of a layer, enough to rebuild it (weights aside). */
export interface LayerConfig {
  /** Registered class name, e.g. `'LSTM'`. */
  className: string;
  /** Constructor options. */
  config: Record<string, unknown>;
}

/** Per-call options shared by every layer. */
export interface ApplyOptions {
  /** Training mode: enables dropout. Default false. */
  training?: boolean;
}

/**
 * What every layer offers: a forward computation and its parameters, named as PyTorch's
 * `state_dict` names them so weights map one to one.
 */
export interface Layer<In = Tensor, Out = Tensor> {
  /** Instance name, unique within a model. */
  readonly name: string;
  /** Runs the layer. */
  apply(input: In, options?: ApplyOptions): Out;
  /** Parameters by PyTorch-style name (`weight_ih_l0`, `bias`, …), in PyTorch's order. */
  namedParameters(): Map<string, Variable>;
  /** Parameters in {@link Layer.namedParameters} order. */
  parameters(): Variable[];
  /** Number of scalar parameters. */
  paramCount(): number;
  /** Serialisable configuration. */
  getConfig(): LayerConfig;
  /** Frees every parameter and state. */
  dispose(): void;
}
