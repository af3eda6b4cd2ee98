/**
 * Reading and validating PyTorch golden fixtures (the format of
 * `shared/conformance/README.md`). Parsing is strict: a file that does not follow the schema
 * is reported as a failed case with the reason, never silently skipped or half-checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RnnMode, Shape } from '@rnnkit/core';
import { GATES_PER_MODE, parseRnnParamName, RNN_MODES, rnnParamNames } from '@rnnkit/core';

/** A tensor of a fixture: shape and row-major float64 values. */
export interface FixtureTensor {
  /** The shape. */
  shape: number[];
  /** Row-major values, exactly as written (float64). */
  data: Float64Array;
}

/** One validated fixture case. */
export interface Fixture {
  /** Case name: the `name` field, else the file name without `.json`. */
  name: string;
  /** Free-text description, when present. */
  description?: string;
  /** Cell type. */
  mode: RnnMode;
  /** Input features. */
  inputSize: number;
  /** Hidden features. */
  hiddenSize: number;
  /** Stacked layers. */
  numLayers: number;
  /** Whether every layer runs in both directions. */
  bidirectional: boolean;
  /** Batch size. */
  batch: number;
  /** Steps. */
  seqLen: number;
  /** Parameter names in PyTorch's order. */
  paramNames: string[];
  /** `[B, T, I]` input. */
  x: FixtureTensor;
  /** `[L*D, B, H]` initial hidden state (zeros when the file has none). */
  h0: FixtureTensor;
  /** `[L*D, B, H]` initial cell state, LSTM only (zeros when the file has none). */
  c0?: FixtureTensor;
  /** Valid lengths per sequence, when the case has variable lengths. */
  lengths?: number[];
  /** Every parameter by PyTorch name. */
  params: Record<string, FixtureTensor>;
  /** Expected outputs. */
  outputs: { output: FixtureTensor; hN: FixtureTensor; cN?: FixtureTensor };
  /** Loss cotangents. */
  cotangents: { dy: FixtureTensor; dhN: FixtureTensor; dcN?: FixtureTensor };
  /** The loss value, when written. */
  loss?: number;
  /** Expected gradients: `x`, `h0`, `c0` (when present) and every parameter by name. */
  grads: Record<string, FixtureTensor>;
  /** `[B, T, D*H]` output of every layer but the last, when the file records them. */
  layerOutputs?: FixtureTensor[];
}

/** Thrown for a file that does not follow the fixture schema. */
export class FixtureSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixtureSchemaError';
  }
}

/** PyTorch's parameter names for a layer stack, in PyTorch's order (core's `rnnParamNames`). */
export function pytorchParamNames(numLayers: number, bidirectional: boolean): string[] {
  const names: string[] = [];
  for (let l = 0; l < numLayers; l++) {
    for (const reverse of bidirectional ? [false, true] : [false])
      names.push(...Object.values(rnnParamNames(l, reverse)));
  }
  return names;
}

/** The expected shape of parameter `name` (a PyTorch name) for the given stack. */
export function pytorchParamShape(
  name: string,
  mode: RnnMode,
  inputSize: number,
  hiddenSize: number,
  bidirectional: boolean,
): number[] {
  const parsed = parseRnnParamName(name);
  if (!parsed) throw new FixtureSchemaError(`unknown parameter name '${name}'`);
  const gh = GATES_PER_MODE[mode] * hiddenSize;
  if (parsed.slot === 'bIh' || parsed.slot === 'bHh') return [gh];
  if (parsed.slot === 'wHh') return [gh, hiddenSize];
  return [gh, parsed.layer === 0 ? inputSize : (bidirectional ? 2 : 1) * hiddenSize];
}

/**
 * Reads a `{shape, data}` tensor, checking that the nested data has exactly that shape and
 * holds only finite numbers.
 */
export function parseFixtureTensor(
  value: unknown,
  where: string,
  expectedShape?: Shape,
): FixtureTensor {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FixtureSchemaError(
      `${where}: expected a {shape, data} tensor, got ${describe(value)}`,
    );
  }
  const { shape, data } = value as { shape?: unknown; data?: unknown };
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw new FixtureSchemaError(
      `${where}.shape: expected an array of non-negative integers, got ${describe(shape)}`,
    );
  }
  const dims = shape as number[];
  if (
    expectedShape &&
    (dims.length !== expectedShape.length || dims.some((d, i) => d !== expectedShape[i]))
  ) {
    throw new FixtureSchemaError(
      `${where}: shape [${dims.join(', ')}], expected [${expectedShape.join(', ')}]`,
    );
  }
  const out: number[] = [];
  const walk = (node: unknown, axis: number, path: string): void => {
    if (axis === dims.length) {
      if (typeof node !== 'number' || !Number.isFinite(node)) {
        throw new FixtureSchemaError(
          `${where}.data${path}: expected a finite number, got ${describe(node)}`,
        );
      }
      out.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== dims[axis]) {
      throw new FixtureSchemaError(
        `${where}.data${path}: expected an array of ${dims[axis]} (axis ${axis} of [${dims.join(', ')}]), got ${describe(node)}`,
      );
    }
    node.forEach((child, i) => walk(child, axis + 1, `${path}[${i}]`));
  };
  // A scalar tensor may be written as a bare number or a one-element list.
  walk(dims.length === 0 && Array.isArray(data) && data.length === 1 ? data[0] : data, 0, '');
  return { shape: [...dims], data: Float64Array.from(out) };
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function field<T>(
  obj: Record<string, unknown>,
  key: string,
  check: (v: unknown) => v is T,
  what: string,
): T {
  const v = obj[key];
  if (!check(v)) throw new FixtureSchemaError(`'${key}': expected ${what}, got ${describe(v)}`);
  return v;
}

const isPositiveInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;
const isNonNegativeInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The sizes and options of a case: what every tensor's expected shape follows from. */
type FixtureHeader = Pick<
  Fixture,
  'mode' | 'inputSize' | 'hiddenSize' | 'numLayers' | 'bidirectional' | 'batch' | 'seqLen'
>;

/** The expected shapes of a case's tensors. */
interface FixtureShapes {
  state: number[];
  x: number[];
  out: number[];
}

/** Reads and cross-checks the sizes, mode and options of a case. */
function parseHeader(json: Record<string, unknown>): FixtureHeader {
  const mode = field(
    json,
    'mode',
    (v): v is RnnMode => (RNN_MODES as readonly string[]).includes(v as string),
    `one of ${RNN_MODES.join(', ')}`,
  );
  const header: FixtureHeader = {
    mode,
    inputSize: field(json, 'input_size', isPositiveInt, 'a positive integer'),
    hiddenSize: field(json, 'hidden_size', isPositiveInt, 'a positive integer'),
    numLayers: field(json, 'num_layers', isPositiveInt, 'a positive integer'),
    bidirectional: field(json, 'bidirectional', isBool, 'true or false'),
    batch: field(json, 'batch', isPositiveInt, 'a positive integer'),
    seqLen: field(json, 'seq_len', isNonNegativeInt, 'a non-negative integer'),
  };
  if (json.batch_first !== undefined && json.batch_first !== true) {
    throw new FixtureSchemaError(
      `'batch_first': only true is supported, got ${describe(json.batch_first)}`,
    );
  }
  if (json.bias !== undefined && json.bias !== true) {
    throw new FixtureSchemaError(`'bias': only true is supported, got ${describe(json.bias)}`);
  }
  const dirs = header.bidirectional ? 2 : 1;
  if (json.num_directions !== undefined && json.num_directions !== dirs) {
    throw new FixtureSchemaError(
      `'num_directions' is ${describe(json.num_directions)} but 'bidirectional' is ${header.bidirectional}`,
    );
  }
  if (json.nonlinearity !== undefined && (mode === 'RNN_TANH' || mode === 'RNN_RELU')) {
    const expected = mode === 'RNN_TANH' ? 'tanh' : 'relu';
    if (json.nonlinearity !== expected) {
      throw new FixtureSchemaError(
        `'nonlinearity' is ${describe(json.nonlinearity)} but 'mode' is ${mode}`,
      );
    }
  }
  return header;
}

/** PyTorch's parameter names for the stack, checked against `param_names` when written. */
function parseParamNames(json: Record<string, unknown>, h: FixtureHeader): string[] {
  const paramNames = pytorchParamNames(h.numLayers, h.bidirectional);
  const given = json.param_names;
  if (
    given !== undefined &&
    (!Array.isArray(given) ||
      given.length !== paramNames.length ||
      given.some((n, i) => n !== paramNames[i]))
  ) {
    throw new FixtureSchemaError(
      `'param_names' must be PyTorch's order [${paramNames.join(', ')}], got ${JSON.stringify(given)}`,
    );
  }
  return paramNames;
}

/** `x`, the initial states (zeros when absent) and the lengths of `inputs`. */
function parseInputs(
  json: Record<string, unknown>,
  h: FixtureHeader,
  shapes: FixtureShapes,
): Pick<Fixture, 'x' | 'h0' | 'c0' | 'lengths'> {
  const inputs = field(json, 'inputs', isObject, 'an object');
  const zeros = (): FixtureTensor => ({
    shape: shapes.state,
    data: new Float64Array(shapes.state[0] * h.batch * h.hiddenSize),
  });
  const state = (key: 'h0' | 'c0') =>
    inputs[key] === undefined
      ? zeros()
      : parseFixtureTensor(inputs[key], `inputs.${key}`, shapes.state);
  if (h.mode !== 'LSTM' && inputs.c0 !== undefined)
    throw new FixtureSchemaError(`'inputs.c0' is only for LSTM, the mode is ${h.mode}`);
  return {
    x: parseFixtureTensor(inputs.x, 'inputs.x', shapes.x),
    h0: state('h0'),
    c0: h.mode === 'LSTM' ? state('c0') : undefined,
    lengths: inputs.lengths === undefined ? undefined : parseLengths(inputs.lengths, h),
  };
}

/** Valid lengths: a list, or a `[B]` tensor, of integers in `[0, seqLen]`. */
function parseLengths(raw: unknown, h: FixtureHeader): number[] {
  const list = isObject(raw)
    ? Array.from(parseFixtureTensor(raw, 'inputs.lengths', [h.batch]).data)
    : raw;
  if (
    !Array.isArray(list) ||
    list.length !== h.batch ||
    !list.every((v) => Number.isInteger(v) && v >= 0 && v <= h.seqLen)
  ) {
    throw new FixtureSchemaError(
      `'inputs.lengths': expected ${h.batch} integers in [0, ${h.seqLen}], got ${JSON.stringify(raw)}`,
    );
  }
  return list as number[];
}

/** Every parameter under its PyTorch name with its shape, and nothing else. */
function parseParams(
  json: Record<string, unknown>,
  h: FixtureHeader,
  paramNames: readonly string[],
): Record<string, FixtureTensor> {
  const paramsObj = field(json, 'params', isObject, 'an object');
  const params: Record<string, FixtureTensor> = {};
  for (const p of paramNames) {
    params[p] = parseFixtureTensor(
      paramsObj[p],
      `params.${p}`,
      pytorchParamShape(p, h.mode, h.inputSize, h.hiddenSize, h.bidirectional),
    );
  }
  const extra = Object.keys(paramsObj).filter((k) => !paramNames.includes(k));
  if (extra.length > 0)
    throw new FixtureSchemaError(`'params' has unexpected entries: ${extra.join(', ')}`);
  return params;
}

/** The expected outputs and the loss cotangents (`c_n`, `dc_n` for LSTM only). */
function parseOutputsAndCotangents(
  json: Record<string, unknown>,
  h: FixtureHeader,
  shapes: FixtureShapes,
): Pick<Fixture, 'outputs' | 'cotangents'> {
  const isLstm = h.mode === 'LSTM';
  const outputsObj = field(json, 'outputs', isObject, 'an object');
  const cotObj = field(json, 'cotangents', isObject, 'an object');
  return {
    outputs: {
      output: parseFixtureTensor(outputsObj.output, 'outputs.output', shapes.out),
      hN: parseFixtureTensor(outputsObj.h_n, 'outputs.h_n', shapes.state),
      cN: isLstm ? parseFixtureTensor(outputsObj.c_n, 'outputs.c_n', shapes.state) : undefined,
    },
    cotangents: {
      dy: parseFixtureTensor(cotObj.dy, 'cotangents.dy', shapes.out),
      dhN: parseFixtureTensor(cotObj.dh_n, 'cotangents.dh_n', shapes.state),
      dcN: isLstm ? parseFixtureTensor(cotObj.dc_n, 'cotangents.dc_n', shapes.state) : undefined,
    },
  };
}

/** The expected gradients: `x`, `h0` and `c0` when written, every parameter. */
function parseGrads(
  json: Record<string, unknown>,
  h: FixtureHeader,
  shapes: FixtureShapes,
  params: Record<string, FixtureTensor>,
): Record<string, FixtureTensor> {
  const gradsObj = field(json, 'grads', isObject, 'an object');
  const grads: Record<string, FixtureTensor> = {};
  grads.x = parseFixtureTensor(gradsObj.x, 'grads.x', shapes.x);
  if (gradsObj.h0 !== undefined)
    grads.h0 = parseFixtureTensor(gradsObj.h0, 'grads.h0', shapes.state);
  if (gradsObj.c0 !== undefined) {
    if (h.mode !== 'LSTM')
      throw new FixtureSchemaError(`'grads.c0' is only for LSTM, the mode is ${h.mode}`);
    grads.c0 = parseFixtureTensor(gradsObj.c0, 'grads.c0', shapes.state);
  }
  for (const [p, t] of Object.entries(params))
    grads[p] = parseFixtureTensor(gradsObj[p], `grads.${p}`, t.shape);
  return grads;
}

/** `intermediate.layer_outputs`, when written: the output of every layer but the last. */
function parseLayerOutputs(
  json: Record<string, unknown>,
  h: FixtureHeader,
  shapes: FixtureShapes,
): FixtureTensor[] | undefined {
  if (json.intermediate === undefined) return undefined;
  const list = field(json, 'intermediate', isObject, 'an object').layer_outputs;
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.length !== h.numLayers - 1) {
    throw new FixtureSchemaError(
      `'intermediate.layer_outputs': expected ${h.numLayers - 1} tensors (every layer but the last), got ${describe(list)}`,
    );
  }
  return list.map((t, k) => parseFixtureTensor(t, `intermediate.layer_outputs[${k}]`, shapes.out));
}

/**
 * Validates parsed JSON as a fixture case and converts it. Checks every field the suite uses:
 * sizes, mode, every parameter under its PyTorch name with its shape, inputs, outputs,
 * cotangents and gradients with their shapes, and the lengths' range.
 *
 * @param fallbackName - used when the file has no `name` field (normally the file name).
 * @throws {@link FixtureSchemaError} naming the first offending field.
 */
export function parseFixture(json: unknown, fallbackName: string): Fixture {
  if (!isObject(json))
    throw new FixtureSchemaError(`expected a JSON object, got ${describe(json)}`);
  const name = typeof json.name === 'string' && json.name.length > 0 ? json.name : fallbackName;
  const header = parseHeader(json);
  const paramNames = parseParamNames(json, header);
  const { batch, seqLen, inputSize, hiddenSize, numLayers } = header;
  const dirs = header.bidirectional ? 2 : 1;
  const shapes: FixtureShapes = {
    state: [numLayers * dirs, batch, hiddenSize],
    x: [batch, seqLen, inputSize],
    out: [batch, seqLen, dirs * hiddenSize],
  };
  const inputs = parseInputs(json, header, shapes);
  const params = parseParams(json, header, paramNames);
  const { outputs, cotangents } = parseOutputsAndCotangents(json, header, shapes);
  const grads = parseGrads(json, header, shapes, params);
  const layerOutputs = parseLayerOutputs(json, header, shapes);
  return {
    name,
    description: typeof json.description === 'string' ? json.description : undefined,
    ...header,
    paramNames,
    ...inputs,
    params,
    outputs,
    cotangents,
    loss: typeof json.loss === 'number' ? json.loss : undefined,
    grads,
    layerOutputs,
  };
}

/** One file of a fixture directory: the parsed case, or why it could not be read. */
export type FixtureEntry =
  | { file: string; name: string; fixture: Fixture; error?: undefined }
  | { file: string; name: string; fixture?: undefined; error: string };

/** True for the files of a fixture directory that are cases: `*.json` except `index.json`. */
export function isFixtureFile(fileName: string): boolean {
  return fileName.endsWith('.json') && fileName !== 'index.json';
}

/** Reads and validates one fixture file; never throws (a failure becomes `error`). */
export function loadFixtureFile(path: string, fileName: string): FixtureEntry {
  const fallback = fileName.replace(/\.json$/, '');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { file: path, name: fallback, error: `cannot read ${path}: ${(e as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { file: path, name: fallback, error: `invalid JSON: ${(e as Error).message}` };
  }
  try {
    return { file: path, name: fallback, fixture: parseFixture(json, fallback) };
  } catch (e) {
    if (e instanceof FixtureSchemaError)
      return { file: path, name: fallback, error: `invalid fixture: ${e.message}` };
    throw e;
  }
}

/**
 * Every case of a fixture directory (`*.json` except `index.json`), sorted by file name. The
 * case keeps its file name as `name` so that reports match the files on disk.
 *
 * @throws when the directory itself cannot be listed.
 */
export function loadFixtureDir(dir: string): FixtureEntry[] {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((d) => (d.isFile() || d.isSymbolicLink()) && isFixtureFile(d.name))
    .map((d) => d.name)
    .sort();
  return files.map((f) => loadFixtureFile(join(dir, f), f));
}

/** The cases of several fixture directories, and which cases a later directory replaced. */
export interface FixtureSet {
  /** Every case, sorted by name; a name appears once. */
  entries: FixtureEntry[];
  /** Cases of a later directory that replaced a same-named case of an earlier one. */
  replaced: { name: string; by: string; was: string }[];
}

/**
 * The union of the cases of `dirs`, in order: a case of a later directory replaces the
 * same-named case of an earlier one (so `[shipped, mine]` overlays `mine` on the shipped
 * cases).
 *
 * @throws when a directory cannot be listed or holds no case (naming it).
 */
export function loadFixtureSet(dirs: readonly string[]): FixtureSet {
  const byName = new Map<string, FixtureEntry>();
  const replaced: FixtureSet['replaced'] = [];
  for (const dir of dirs) {
    let entries: FixtureEntry[];
    try {
      entries = loadFixtureDir(dir);
    } catch (e) {
      throw new Error(`cannot read fixture directory ${dir}: ${(e as Error).message}`);
    }
    if (entries.length === 0)
      throw new Error(`no fixture (*.json other than index.json) in ${dir}`);
    for (const entry of entries) {
      const previous = byName.get(entry.name);
      if (previous) replaced.push({ name: entry.name, by: entry.file, was: previous.file });
      byName.set(entry.name, entry);
    }
  }
  const entries = [...byName.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  return { entries, replaced };
}
