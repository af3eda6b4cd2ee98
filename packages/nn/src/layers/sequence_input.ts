/**
 * Checks of batch-first sequence inputs and how sequence lengths are carried between layers.
 */
import {
  clone,
  type DType,
  DTypeError,
  dispose,
  formatShape,
  keep,
  reshape,
  ShapeError,
  slice,
  Tensor,
  tensor,
  transpose,
  ValueError,
} from '@rnnkit/core';

/** Checks a batch-first sequence `x [B, T, inputSize]` of `dtype`; returns `{B, T}`. */
export function checkSequenceInput(
  owner: string,
  x: unknown,
  inputSize: number,
  dtype: DType,
): { B: number; T: number } {
  if (!(x instanceof Tensor))
    throw new ValueError(`${owner}: argument 'x' must be a Tensor, got ${describe(x)}`);
  if (x.rank !== 3 || x.shape[2] !== inputSize) {
    throw new ShapeError(
      `${owner}: argument 'x' must have shape [batch, steps, ${inputSize}], got ${formatShape(x.shape)}`,
    );
  }
  if (x.dtype !== dtype)
    throw new DTypeError(`${owner}: argument 'x' must be ${dtype} like the layer, got ${x.dtype}`);
  return { B: x.shape[0], T: x.shape[1] };
}

/** Per-call sequence options every layer of this package accepts (Keras' implicit mask, made explicit). */
export interface SequenceOptions {
  /** Valid steps per sequence: int32 `[B]` tensor or array, each in `[0, T]`. */
  lengths?: Tensor | readonly number[];
  /** `[B, T]` 0/1 prefix mask (ones then zeros per row), an alternative to `lengths`. */
  mask?: Tensor;
}

/**
 * The valid lengths a sequence tensor carries: set by an `Embedding` with `paddingIdx`, or by a
 * layer given `lengths`/`mask`, and passed on by every layer whose output is still a sequence
 * of the same steps (recurrent layers with `returnSequences`, `Dense`, `Dropout`). A recurrent
 * layer called without `lengths`/`mask` uses them, so padding flows through `Sequential` and
 * hand-written `Model`s as Keras' masks do. `problem` is set instead when the padding is not at
 * the end of every row.
 */
interface CarriedLengths {
  lengths?: Int32Array;
  problem?: string;
}

const carried = new WeakMap<Tensor, CarriedLengths>();

/**
 * The valid length of every sequence of `x` (`[B, T, …]`) that the tensor carries, or undefined
 * when it carries none (every step valid). Set by an `Embedding` with `paddingIdx`, or by any
 * layer of this package given `lengths` or `mask`, and passed on by the layers whose output is
 * still a sequence; recurrent layers read it when called without `lengths`/`mask`.
 * @throws ValueError when the padding that produced `x` is not at the end of every row.
 * @example
 * ```ts
 * const embed = new Embedding({ numEmbeddings: 10, embeddingDim: 4, paddingIdx: 0, seed: 0 });
 * const vectors = embed.apply(tensor([[5, 2, 7], [3, 0, 0]], [2, 3], 'int32'));
 * check(sequenceLengthsOf(vectors), [3, 1]);
 * ```
 */
export function sequenceLengthsOf(x: Tensor): Int32Array | undefined {
  const c = carried.get(x);
  if (c?.problem) throw new ValueError(c.problem);
  return c?.lengths;
}

/** @internal The lengths `x` carries, or undefined (also when its padding has a problem). */
export function carriedLengthsOf(x: Tensor): Int32Array | undefined {
  return carried.get(x)?.lengths;
}

/** @internal Marks `x` as carrying `lengths` (or a padding `problem`); returns `x`. */
export function carryLengths(x: Tensor, lengths: Int32Array | undefined, problem?: string): Tensor {
  if (lengths !== undefined || problem !== undefined) carried.set(x, { lengths, problem });
  return x;
}

/**
 * @internal Passes the lengths of `input` (or the explicit `options`, which win) on to `output`
 * when it is still a sequence of the same batch and steps.
 */
export function passLengths(
  owner: string,
  input: Tensor,
  output: Tensor,
  options: SequenceOptions | undefined,
): Tensor {
  if (output === input && !options?.lengths && !options?.mask) return output;
  if (output.rank < 2 || input.rank < 2) return output;
  const [B, T] = input.shape;
  if (output.shape[0] !== B || output.shape[1] !== T) return output;
  if (options?.lengths !== undefined || options?.mask !== undefined) {
    return carryLengths(output, lengthValues(owner, B, T, options.lengths, options.mask));
  }
  const c = carried.get(input);
  return c ? carryLengths(output, c.lengths, c.problem) : output;
}

/**
 * The lengths a sequence call uses: the explicit `lengths`/`mask` options, else those `x`
 * carries; host values, or undefined when every sequence is full length.
 */
export function callLengths(
  owner: string,
  x: Tensor,
  options: SequenceOptions,
): Int32Array | undefined {
  const [B, T] = x.shape;
  if (options.lengths !== undefined || options.mask !== undefined)
    return lengthValues(owner, B, T, options.lengths, options.mask);
  const c = carried.get(x);
  if (c?.problem) throw new ValueError(`${owner}: ${c.problem}`);
  return c?.lengths;
}

/**
 * Valid lengths from a `lengths` array/tensor or a `[B, T]` prefix `mask` (at most one of
 * them), checked against `B` and `T`, as host values (undefined when neither is given).
 */
export function lengthValues(
  owner: string,
  B: number,
  T: number,
  lengths: Tensor | readonly number[] | undefined,
  mask: Tensor | undefined,
): Int32Array | undefined {
  if (lengths !== undefined && mask !== undefined) {
    throw new ValueError(`${owner}: give at most one of options 'lengths' and 'mask', got both`);
  }
  let values: ArrayLike<number>;
  if (mask !== undefined) {
    return lengthsFromMask(owner, B, T, mask);
  } else if (lengths === undefined) {
    return undefined;
  } else if (lengths instanceof Tensor) {
    if (lengths.dtype !== 'int32')
      throw new DTypeError(
        `${owner}: option 'lengths' must be an int32 tensor, got ${lengths.dtype}`,
      );
    if (lengths.rank !== 1 || lengths.shape[0] !== B) {
      throw new ShapeError(
        `${owner}: option 'lengths' must have shape [${B}] (the batch size of 'x'), got ${formatShape(lengths.shape)}`,
      );
    }
    values = lengths.dataSync();
  } else if (Array.isArray(lengths) || ArrayBuffer.isView(lengths)) {
    if (lengths.length !== B)
      throw new ShapeError(
        `${owner}: option 'lengths' has ${lengths.length} entries but 'x' has batch size ${B}`,
      );
    values = lengths;
  } else {
    throw new ValueError(
      `${owner}: option 'lengths' must be an int32 Tensor or an array of integers, got ${describe(lengths)}`,
    );
  }
  const out = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const v = values[b];
    if (!Number.isInteger(v) || v < 0 || v > T) {
      throw new ValueError(`${owner}: lengths[${b}] is ${v}; expected an integer in [0, ${T}]`);
    }
    out[b] = v;
  }
  return out;
}

/**
 * The lengths of {@link callLengths} as an int32 `[B]` tensor for the recurrence, or undefined
 * when every sequence is full length (so the recurrence can skip masking). The new tensor
 * belongs to the enclosing `tidy`.
 */
export function lengthsTensor(T: number, values: Int32Array | undefined): Tensor | undefined {
  if (values === undefined || values.every((v) => v === T)) return undefined;
  return tensor(values, [values.length], 'int32');
}

/** Lengths from a `[B, T]` 0/1 mask whose rows are prefixes of ones (a `ValueError` otherwise). */
export function lengthsFromMask(owner: string, B: number, T: number, mask: unknown): Int32Array {
  if (!(mask instanceof Tensor))
    throw new ValueError(`${owner}: option 'mask' must be a Tensor, got ${describe(mask)}`);
  if (mask.rank !== 2 || mask.shape[0] !== B || mask.shape[1] !== T) {
    throw new ShapeError(
      `${owner}: option 'mask' must have shape [${B}, ${T}], got ${formatShape(mask.shape)}`,
    );
  }
  const m = mask.dataSync();
  const out = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    let len = 0;
    while (len < T && m[b * T + len] === 1) len++;
    for (let t = len; t < T; t++) {
      const v = m[b * T + t];
      if (v !== 0) {
        throw new ValueError(
          v === 1
            ? `${owner}: option 'mask' must be a prefix mask (ones then zeros in each row); row ${b} has a 1 at step ${t} after a 0 at step ${len}`
            : `${owner}: option 'mask' must hold only 0 and 1, got ${v} at [${b}, ${t}]`,
        );
      }
    }
    out[b] = len;
  }
  return out;
}

/** Checks that `t` is a tensor of `shape` and `dtype`, naming `arg` on failure. */
export function checkStateTensor(
  owner: string,
  arg: string,
  t: unknown,
  shape: readonly number[],
  dtype: DType,
): Tensor {
  if (!(t instanceof Tensor))
    throw new ValueError(
      `${owner}: ${arg} must be a Tensor of shape ${formatShape(shape)}, got ${describe(t)}`,
    );
  if (t.rank !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(
      `${owner}: ${arg} must have shape ${formatShape(shape)}, got ${formatShape(t.shape)}`,
    );
  }
  if (t.dtype !== dtype)
    throw new DTypeError(`${owner}: ${arg} must be ${dtype} like the layer, got ${t.dtype}`);
  return t;
}

/** Slice `k` of a `[N, B, H]` state stack, as `[B, H]`. */
export function stateSlice(state: Tensor, k: number): Tensor {
  const [, B, H] = state.shape;
  return reshape(slice(state, [k, 0, 0], [1, B, H]), [B, H]);
}

/**
 * The per-sequence "last output" of a stack of recurrent layers: for each direction, the last
 * layer's final state (`hN` slices `(L-1)·D + d`), concatenated along features → `[B, D·H]`.
 * For a forward direction this is the output at the sequence's last valid step.
 */
export function lastOutputs(hN: Tensor, numLayers: number, numDirections: number): Tensor {
  const [, B, H] = hN.shape;
  const top = slice(hN, [(numLayers - 1) * numDirections, 0, 0], [numDirections, B, H]);
  return numDirections === 1
    ? reshape(top, [B, H])
    : reshape(transpose(top, [1, 0, 2]), [B, numDirections * H]);
}

/**
 * Recurrent state carried between calls of a stateful layer. The held tensors are kept (exempt
 * from `tidy`) and share storage with the returned states, so a caller disposing its outputs
 * does not free them.
 */
export class StateStore {
  private h: Tensor | undefined;
  private c: Tensor | undefined;

  /** The held state, or undefined; a `ShapeError` when its batch size is not `B`. */
  get(owner: string, B: number): { h: Tensor; c?: Tensor } | undefined {
    if (!this.h) return undefined;
    if (this.h.shape[1] !== B) {
      throw new ShapeError(
        `${owner}: a stateful layer holds states for batch size ${this.h.shape[1]} but argument 'x' has batch size ${B}; call resetStates() first`,
      );
    }
    return this.c ? { h: this.h, c: this.c } : { h: this.h };
  }

  /** Replaces the held state with (views of) `h` and `c`. */
  set(h: Tensor, c: Tensor | undefined): void {
    const old = [this.h, this.c];
    this.h = keep(clone(h));
    this.c = c ? keep(clone(c)) : undefined;
    dispose(old.filter((t) => t !== undefined));
  }

  /** The held state as `{h, c}` (not copies), or undefined. */
  peek(): { h: Tensor; c?: Tensor } | undefined {
    if (!this.h) return undefined;
    return this.c ? { h: this.h, c: this.c } : { h: this.h };
  }

  /** Frees the held state. */
  reset(): void {
    dispose([this.h, this.c].filter((t) => t !== undefined));
    this.h = undefined;
    this.c = undefined;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return `${typeof v} ${String(v)}`;
}
