/**
 * State dicts: a model's parameters by PyTorch name, read and loaded.
 */
import { formatShape, ShapeError, Tensor, tensor, ValueError, type Variable } from '@rnnkit/core';

/** Nested JavaScript arrays of numbers (as PyTorch's `tensor.tolist()` writes them). */
export type NestedNumbers = number | readonly NestedNumbers[];

/** One entry of a state dict given as plain data: a shape and its values (flat or nested). */
export interface StateDictValue {
  /** The tensor's shape. */
  shape: readonly number[];
  /** Values in row-major order, flat or nested like the shape. */
  data: readonly number[] | Float32Array | Float64Array | NestedNumbers;
}

/**
 * A state dict: parameters by PyTorch name, as tensors or plain data, in a plain object or a
 * `Map` (so `other.namedParameters()` can be loaded directly).
 */
export type StateDict =
  | Record<string, Tensor | StateDictValue>
  | ReadonlyMap<string, Tensor | StateDictValue>;

/** Options of {@link loadStateDict}. */
export interface LoadStateDictOptions {
  /** Refuse missing and unexpected names (default true, as PyTorch's `strict=True`). */
  strict?: boolean;
}

/**
 * Copies `dict`'s values into `params` (checking every name and shape first, so a failed load
 * changes nothing). Throws a `ValueError` listing missing or unexpected names and a
 * `ShapeError` naming the parameter, its expected and its actual shape.
 */
export function loadStateDict(
  owner: string,
  params: ReadonlyMap<string, Variable>,
  stateDict: StateDict,
  options: LoadStateDictOptions = {},
): void {
  if (stateDict === null || typeof stateDict !== 'object') {
    throw new ValueError(
      `${owner}.loadStateDict: argument 'stateDict' must be an object or a Map, got ${String(stateDict)}`,
    );
  }
  const dict: Record<string, Tensor | StateDictValue> =
    stateDict instanceof Map
      ? Object.fromEntries(stateDict)
      : (stateDict as Record<string, Tensor | StateDictValue>);
  const strict = options.strict ?? true;
  const given = Object.keys(dict);
  if (strict) {
    const missing = [...params.keys()].filter((n) => !(n in dict));
    const unexpected = given.filter((n) => !params.has(n));
    if (missing.length > 0 || unexpected.length > 0) {
      const parts: string[] = [];
      if (missing.length > 0) parts.push(`missing: ${missing.join(', ')}`);
      if (unexpected.length > 0) parts.push(`unexpected: ${unexpected.join(', ')}`);
      throw new ValueError(
        `${owner}.loadStateDict: state dict names do not match the parameters (${parts.join('; ')})`,
      );
    }
  }
  const updates: [Variable, Float64Array][] = [];
  for (const [name, v] of params) {
    if (!(name in dict)) continue;
    const values = readEntry(owner, name, dict[name]);
    if (values.shape.length !== v.shape.length || values.shape.some((d, i) => d !== v.shape[i])) {
      throw new ShapeError(
        `${owner}.loadStateDict: parameter '${name}' must have shape ${formatShape(v.shape)}, got ${formatShape(values.shape)}`,
      );
    }
    updates.push([v, values.data]);
  }
  for (const [v, data] of updates) {
    const t = tensor(data, v.shape, v.dtype);
    v.assign(t);
    t.dispose();
  }
}

/** The values of every parameter as plain data (a copy), by name. */
export function stateDictOf(
  params: ReadonlyMap<string, Variable>,
): Record<string, { shape: number[]; data: Float64Array }> {
  const out: Record<string, { shape: number[]; data: Float64Array }> = {};
  for (const [name, v] of params)
    out[name] = { shape: [...v.shape], data: Float64Array.from(v.dataSync()) };
  return out;
}

function readEntry(
  owner: string,
  name: string,
  entry: Tensor | StateDictValue,
): { shape: number[]; data: Float64Array } {
  if (entry instanceof Tensor)
    return { shape: [...entry.shape], data: Float64Array.from(entry.dataSync()) };
  if (entry === null || typeof entry !== 'object' || !Array.isArray(entry.shape)) {
    throw new ValueError(
      `${owner}.loadStateDict: parameter '${name}' must be a Tensor or {shape, data}, got ${String(entry)}`,
    );
  }
  const flat: number[] = [];
  flattenInto(entry.data, flat);
  const size = entry.shape.reduce((a, b) => a * b, 1);
  if (flat.length !== size) {
    throw new ShapeError(
      `${owner}.loadStateDict: parameter '${name}' declares shape ${formatShape(entry.shape)} (${size} values) but holds ${flat.length} values`,
    );
  }
  return { shape: [...entry.shape], data: Float64Array.from(flat) };
}

function flattenInto(data: StateDictValue['data'], out: number[]): void {
  if (typeof data === 'number') {
    out.push(data);
    return;
  }
  if (ArrayBuffer.isView(data)) {
    for (const v of data as Float64Array) out.push(v);
    return;
  }
  for (const item of data as readonly NestedNumbers[]) flattenInto(item, out);
}
