/**
 * Parameter initialisers (Glorot, He, orthogonal, uniform, …) by name, and how a layer resolves
 * its own.
 */
import { type DType, globalRandom, Random, type Tensor, tensor, ValueError } from '@rnnkit/core';

/**
 * What an initialiser knows about the parameter it fills.
 *
 * Shapes are in PyTorch's layout (`[out, in]`, gate blocks stacked along rows), so a recurrent
 * kernel `weight_hh_l0` of an LSTM has shape `[4*H, H]` and `gates = 4`.
 */
export interface InitContext {
  /** The parameter's shape. */
  shape: readonly number[];
  /** Inputs feeding each output unit (columns of a `[out, in]` matrix; 1 for a vector). */
  fanIn: number;
  /** Output units (rows of a `[out, in]` matrix, all gate blocks together). */
  fanOut: number;
  /** Number of gate blocks stacked along the rows (1 for non-recurrent parameters). */
  gates: number;
  /** The bound PyTorch uses for this parameter's default uniform initialisation. */
  uniformBound: number;
}

/** A custom initialiser: returns the parameter's values in row-major order. */
export type InitializerFn = (context: InitContext, rng: Random) => ArrayLike<number>;

/**
 * Built-in initialisers:
 * - `'pytorchUniform'`: uniform in `±uniformBound` (PyTorch's default: `1/√H` for recurrent
 *   layers, `1/√fanIn` for `Linear`);
 * - `'glorotUniform'`: uniform in `±√(6 / (fanIn + fanOut))` (Keras' default kernel);
 * - `'glorotNormal'`: normal with standard deviation `√(2 / (fanIn + fanOut))`;
 * - `'orthogonal'`: each gate block (`[H, cols]`) is a random orthogonal matrix (orthonormal
 *   columns when it is tall, rows when it is wide); the usual choice for recurrent kernels;
 * - `'normal'`: standard normal (PyTorch's `Embedding` default);
 * - `'zeros'`, `'ones'`.
 */
export type InitializerName =
  | 'pytorchUniform'
  | 'glorotUniform'
  | 'glorotNormal'
  | 'orthogonal'
  | 'normal'
  | 'zeros'
  | 'ones';

/** A built-in initialiser name or a custom function. */
export type Initializer = InitializerName | InitializerFn;

/** Every built-in initialiser name. */
export const INITIALIZER_NAMES: readonly InitializerName[] = [
  'pytorchUniform',
  'glorotUniform',
  'glorotNormal',
  'orthogonal',
  'normal',
  'zeros',
  'ones',
];

/**
 * The generator a layer initialises from: `rng` if given, else `new Random(seed)` if a seed is
 * given, else the global generator (see core's `setSeed`).
 */
export function resolveRng(
  owner: string,
  seed: number | undefined,
  rng: Random | undefined,
): Random {
  if (rng !== undefined) {
    if (!(rng instanceof Random))
      throw new ValueError(`${owner}: option 'rng' must be a Random, got ${typeof rng}`);
    return rng;
  }
  if (seed !== undefined) {
    if (!Number.isFinite(seed))
      throw new ValueError(`${owner}: option 'seed' must be a finite number, got ${seed}`);
    return new Random(seed);
  }
  return globalRandom();
}

/** Checks an initialiser option, naming it on failure. */
export function checkInitializer(
  owner: string,
  option: string,
  init: Initializer | undefined,
): void {
  if (init === undefined || typeof init === 'function') return;
  if (!INITIALIZER_NAMES.includes(init)) {
    throw new ValueError(
      `${owner}: option '${option}' must be one of ${INITIALIZER_NAMES.join(', ')} or a function, got ${String(init)}`,
    );
  }
}

/**
 * The values of a parameter drawn by `init`, as a Float64Array (row-major).
 * @example
 * ```ts
 * const context = { shape: [8, 3], fanIn: 3, fanOut: 8, gates: 1, uniformBound: 0.5 };
 * const values = initialValues('glorotUniform', context, new Random(1));
 * const bound = Math.sqrt(6 / (3 + 8)); // Glorot's uniform limit
 * check(values.length, 24);
 * check(values.every((v) => Math.abs(v) <= bound), true);
 * ```
 */
export function initialValues(init: Initializer, context: InitContext, rng: Random): Float64Array {
  const size = context.shape.reduce((a, b) => a * b, 1);
  if (typeof init === 'function') {
    const values = init(context, rng);
    if (values.length !== size) {
      throw new ValueError(
        `initializer: a custom initializer returned ${values.length} values for shape [${context.shape.join(', ')}], expected ${size}`,
      );
    }
    return Float64Array.from(values);
  }
  const out = new Float64Array(size);
  switch (init) {
    case 'pytorchUniform':
      return fillUniform(out, context.uniformBound, rng);
    case 'glorotUniform':
      return fillUniform(out, Math.sqrt(6 / (context.fanIn + context.fanOut)), rng);
    case 'glorotNormal': {
      const std = Math.sqrt(2 / (context.fanIn + context.fanOut));
      for (let i = 0; i < size; i++) out[i] = std * rng.normal();
      return out;
    }
    case 'normal':
      for (let i = 0; i < size; i++) out[i] = rng.normal();
      return out;
    case 'orthogonal':
      return orthogonalBlocks(context, rng);
    case 'zeros':
      return out;
    case 'ones':
      return out.fill(1);
    default:
      throw new ValueError(`initializer: unknown initializer ${String(init)}`);
  }
}

/** A new tensor of `dtype` holding `init`'s values for `context`. */
export function initialTensor(
  init: Initializer,
  context: InitContext,
  rng: Random,
  dtype: DType,
): Tensor {
  return tensor(initialValues(init, context, rng), context.shape, dtype);
}

function fillUniform(out: Float64Array, bound: number, rng: Random): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-bound, bound);
  return out;
}

/** One orthogonal matrix per gate block of rows; a vector is filled as a single row. */
function orthogonalBlocks(context: InitContext, rng: Random): Float64Array {
  const shape = context.shape;
  const rows = shape.length === 1 ? 1 : shape[0];
  const cols = shape.length === 1 ? shape[0] : shape.slice(1).reduce((a, b) => a * b, 1);
  const gates = rows % context.gates === 0 ? context.gates : 1;
  const blockRows = rows / gates;
  const out = new Float64Array(rows * cols);
  for (let g = 0; g < gates; g++) out.set(orthogonal(blockRows, cols, rng), g * blockRows * cols);
  return out;
}

/**
 * A random `rows × cols` matrix with orthonormal columns (rows ≥ cols) or rows (rows < cols):
 * the Q factor of a Gaussian matrix, by modified Gram–Schmidt applied twice for accuracy.
 */
export function orthogonal(rows: number, cols: number, rng: Random): Float64Array {
  const tall = rows >= cols;
  const n = tall ? rows : cols; // vector length
  const k = tall ? cols : rows; // number of vectors
  const vs: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = rng.normal();
    for (let pass = 0; pass < 2; pass++) {
      for (const u of vs) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += u[i] * v[i];
        for (let i = 0; i < n; i++) v[i] -= dot * u[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) v[i] /= norm;
    vs.push(v);
  }
  const out = new Float64Array(rows * cols);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) {
      if (tall) out[i * cols + j] = vs[j][i];
      else out[j * cols + i] = vs[j][i];
    }
  }
  return out;
}
