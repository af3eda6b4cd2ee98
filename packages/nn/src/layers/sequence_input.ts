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

/**
 * Valid lengths from a `lengths` array/tensor or a `[B, T]` prefix `mask` (at most one of
 * them), checked against `B` and `T`. Returns an int32 `[B]` tensor, or undefined when every
 * sequence is full length (so the recurrence can skip masking). A new tensor is made only when
 * the caller gave an array or a mask; it belongs to the enclosing `tidy`.
 */
export function resolveLengths(
  owner: string,
  B: number,
  T: number,
  lengths: Tensor | readonly number[] | undefined,
  mask: Tensor | undefined,
): Tensor | undefined {
  if (lengths !== undefined && mask !== undefined) {
    throw new ValueError(`${owner}: give at most one of options 'lengths' and 'mask', got both`);
  }
  let values: ArrayLike<number>;
  if (mask !== undefined) {
    values = lengthsFromMask(owner, B, T, mask);
  } else if (lengths === undefined) {
    return undefined;
  } else if (lengths instanceof Tensor) {
    if (lengths.dtype !== 'int32')
      throw new DTypeError(
        `${owner}: option 'lengths' must be an int32 tensor, got ${lengths.dtype}`,
      );
    if (lengths.rank !== 1 || lengths.shape[0] !== B) {
      throw new ShapeError(
        `${owner}: option 'lengths' must have shape [${B}], got ${formatShape(lengths.shape)}`,
      );
    }
    values = lengths.dataSync();
  } else if (Array.isArray(lengths)) {
    if (lengths.length !== B)
      throw new ShapeError(
        `${owner}: option 'lengths' must have ${B} entries (the batch size), got ${lengths.length}`,
      );
    values = lengths;
  } else {
    throw new ValueError(
      `${owner}: option 'lengths' must be an int32 Tensor or an array of integers, got ${describe(lengths)}`,
    );
  }
  let full = true;
  for (let b = 0; b < B; b++) {
    const v = values[b];
    if (!Number.isInteger(v) || v < 0 || v > T) {
      throw new ValueError(`${owner}: lengths[${b}] is ${v}; expected an integer in [0, ${T}]`);
    }
    if (v !== T) full = false;
  }
  if (full) return undefined;
  if (lengths instanceof Tensor) return lengths;
  return tensor(Int32Array.from(values), [B], 'int32');
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
