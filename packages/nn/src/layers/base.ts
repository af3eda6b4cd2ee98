/**
 * What every layer shares: `BaseLayer`, instance names and option checks.
 */
import {
  type ApplyOptions,
  type DType,
  type Layer,
  type LayerConfig,
  type Tensor,
  ValueError,
  type Variable,
  variable,
} from '@rnnkit/core';
import {
  type LoadStateDictOptions,
  loadStateDict,
  type StateDict,
  stateDictOf,
} from '../state_dict.js';

const nameCounters = new Map<string, number>();

/** A fresh instance name: `lstm`, `lstm_1`, `lstm_2`, … (Keras style). */
export function uniqueName(prefix: string): string {
  const n = nameCounters.get(prefix) ?? 0;
  nameCounters.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** Checks that `value` is a positive integer, naming the option on failure. */
export function checkPositiveInt(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ValueError(
      `${owner}: option '${option}' must be a positive integer, got ${String(value)}`,
    );
  }
  return value;
}

/** Checks a float dtype option (default float32). */
export function checkFloatDType(owner: string, dtype: unknown): 'float32' | 'float64' {
  if (dtype === undefined) return 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new ValueError(
      `${owner}: option 'dtype' must be 'float32' or 'float64', got ${String(dtype)}`,
    );
  }
  return dtype;
}

/** Checks that `value` is one of `allowed`, naming the option on failure. */
export function checkOneOf<T extends string>(
  owner: string,
  option: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    throw new ValueError(
      `${owner}: option '${option}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${String(value)}`,
    );
  }
  return value as T;
}

/**
 * Shared plumbing of every layer in this package: a name, parameters held as core `Variable`s
 * under PyTorch's names (in PyTorch's order), parameter counting, state-dict import/export and
 * disposal. Subclasses add parameters with {@link BaseLayer.addParameter} and implement `apply`.
 */
export abstract class BaseLayer<In = Tensor, Out = Tensor> implements Layer<In, Out> {
  /** Instance name, unique within the process unless given explicitly. */
  readonly name: string;
  /** Element type of the parameters (and of the inputs it accepts). */
  readonly dtype: DType;
  private readonly params = new Map<string, Variable>();
  private disposed = false;

  protected constructor(name: string, dtype: DType) {
    this.name = name;
    this.dtype = dtype;
  }

  /** Runs the layer. */
  abstract apply(input: In, options?: ApplyOptions): Out;

  /** Serialisable configuration. */
  abstract getConfig(): LayerConfig;

  /** Wraps `initial` as a trainable variable named `${layer}/${name}`, registered as `name`. */
  protected addParameter(name: string, initial: Tensor): Variable {
    const v = variable(initial, `${this.name}/${name}`, true);
    initial.dispose();
    this.params.set(name, v);
    return v;
  }

  /** The parameter registered as `name`. */
  protected param(name: string): Variable {
    this.assertNotDisposed();
    const v = this.params.get(name);
    if (!v) throw new ValueError(`${this.name}: no parameter named '${name}'`);
    return v;
  }

  /** Throws once the layer was disposed. */
  protected assertNotDisposed(): void {
    if (this.disposed) throw new ValueError(`${this.name}: the layer was disposed`);
  }

  /** Parameters by PyTorch name, in PyTorch's order. */
  namedParameters(): Map<string, Variable> {
    return new Map(this.params);
  }

  /** Parameters in {@link BaseLayer.namedParameters} order. */
  parameters(): Variable[] {
    return [...this.namedParameters().values()];
  }

  /** Number of scalar parameters. */
  paramCount(): number {
    let n = 0;
    for (const v of this.namedParameters().values()) n += v.size;
    return n;
  }

  /**
   * Copies PyTorch-named values into the parameters after checking every name and shape.
   * @throws ValueError on missing/unexpected names (unless `strict: false`), ShapeError on a
   * shape mismatch (naming the parameter, the expected and the actual shape).
   */
  loadStateDict(stateDict: StateDict, options?: LoadStateDictOptions): void {
    this.assertNotDisposed();
    loadStateDict(this.name, this.namedParameters(), stateDict, options);
  }

  /** A copy of every parameter's values as `{shape, data}`, by PyTorch name. */
  stateDict(): Record<string, { shape: number[]; data: Float64Array }> {
    this.assertNotDisposed();
    return stateDictOf(this.namedParameters());
  }

  /** Frees every parameter (and any state). Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.params.values()) v.dispose();
  }
}
