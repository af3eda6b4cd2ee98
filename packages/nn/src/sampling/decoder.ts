/** The decoders generation steps: a step function with a batched state, or a token model. */
import { formatShape, gather, ShapeError, Tensor, tensor, tidy, ValueError } from '@rnnkit/core';

/**
 * A batch of token sequences being extended one step at a time. Rows are independent
 * sequences; `select` reorders them (beam search keeps the best continuations).
 */
export interface Decoder {
  /** Feeds one token per row; returns each row's logits for the next token. */
  next(tokens: readonly number[]): Float64Array[];
  /** Feeds every row's prompt (all the same length ≥ 1); returns the logits after it. */
  prime(prompts: readonly (readonly number[])[]): Float64Array[];
  /** Row i continues the sequence that was row `rows[i]` (rows may repeat or be dropped). */
  select(rows: readonly number[]): void;
  /** Frees whatever the decoder still holds (never the caller's initial state). */
  dispose(): void;
}

/** Logits a step may return: `[V]` (one row), `[B, V]`, `[B, T, V]` (last step used) or rows. */
export type StepLogits = Tensor | readonly ArrayLike<number>[];

/** A language model {@link generate} can drive: int32 token ids `[B, T]` in, logits out. */
export interface TokenModel {
  /** Logits `[B, T, V]` (the last step is used) or `[B, V]` for token ids `[B, T]`. */
  apply(x: Tensor): Tensor | readonly Tensor[];
  /** True when the model carries recurrent state between calls (`stateful: true` layers). */
  isStateful?(): boolean;
  /** Forgets carried state. */
  resetStates?(): void;
  /** A bare recurrent layer's flag (models answer `isStateful()`). */
  readonly stateful?: boolean;
}

/** Reads step logits into `B` rows, checking the row count. */
export function readLogitsRows(owner: string, logits: StepLogits, B: number): Float64Array[] {
  let rows: Float64Array[];
  if (logits instanceof Tensor) {
    const shape = logits.shape;
    const V = shape[shape.length - 1];
    if (logits.rank < 1 || logits.rank > 3 || (logits.rank === 1 && B !== 1)) {
      throw new ShapeError(
        `${owner}: logits must have shape [${B}, V]${B === 1 ? ', [V]' : ''} or [${B}, T, V], got ${formatShape(shape)}`,
      );
    }
    const flat = logits.dataSync();
    const n = logits.rank === 1 ? 1 : shape[0];
    const stride = logits.size / n;
    rows = Array.from({ length: n }, (_, b) =>
      Float64Array.from(flat.subarray((b + 1) * stride - V, (b + 1) * stride)),
    );
  } else if (Array.isArray(logits)) {
    rows = logits.map((r) => Float64Array.from(r));
  } else {
    throw new ValueError(`${owner}: logits must be a Tensor or an array of rows`);
  }
  if (rows.length !== B)
    throw new ShapeError(`${owner}: the step returned ${rows.length} rows of logits for ${B} rows`);
  return rows;
}

/** Every tensor inside `value` (tensors, arrays, plain objects, maps), as core's `tidy` finds them. */
export function tensorsIn(value: unknown, into = new Set<Tensor>(), depth = 0): Set<Tensor> {
  if (value instanceof Tensor) into.add(value);
  else if (depth <= 4 && value !== null && typeof value === 'object') {
    const entries =
      value instanceof Map
        ? [...value.values()]
        : Array.isArray(value)
          ? value
          : Object.values(value);
    for (const v of entries) tensorsIn(v, into, depth + 1);
  }
  return into;
}

/**
 * Reorders the rows of a recurrent state: `undefined`, a `{h, c?}` of `[L·D, B, H]` stacks
 * (batch axis 1, as every recurrent layer's), or an array or object of those.
 */
export function selectStateRows<S>(owner: string, state: S, rows: readonly number[]): S {
  if (state === undefined || state === null) return state;
  const idx = tensor(Int32Array.from(rows), [rows.length], 'int32');
  const pick = (value: unknown): unknown => {
    if (value instanceof Tensor) {
      if (value.rank !== 3)
        throw new ValueError(
          `${owner}: cannot tell the batch axis of a state tensor of shape ${formatShape(value.shape)}; give option 'selectState'`,
        );
      return gather(value, idx, 1);
    }
    if (Array.isArray(value)) return value.map(pick);
    if (
      value !== null &&
      typeof value === 'object' &&
      Object.getPrototypeOf(value) === Object.prototype
    )
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pick(v)]));
    if (value === undefined) return undefined;
    throw new ValueError(
      `${owner}: beam search cannot reorder a state holding ${typeof value}; give option 'selectState'`,
    );
  };
  const out = pick(state) as S;
  idx.dispose();
  return out;
}

/** Frees the tensors of `old` that neither `next` nor `owned` (the caller's) hold. */
function releaseState(old: unknown, next: unknown, owned: unknown): void {
  if (old === undefined || old === next || old === owned) return;
  const keepSet = tensorsIn(next, tensorsIn(owned));
  for (const t of tensorsIn(old)) if (!keepSet.has(t) && !t.isDisposed) t.dispose();
}

/** Options of {@link StepDecoder}. */
export interface StepDecoderOptions<S> {
  owner: string;
  step(tokens: number[], state: S): { logits: StepLogits; state: S };
  initialState: S;
  selectState?(state: S, rows: number[]): S;
  disposeState?(state: S): void;
}

/** Drives a user step function whose state `S` holds every row (batch-major). */
export class StepDecoder<S> implements Decoder {
  private state: S;

  constructor(private readonly o: StepDecoderOptions<S>) {
    this.state = o.initialState;
  }

  next(tokens: readonly number[]): Float64Array[] {
    const out = tidy(() => {
      const r = this.o.step([...tokens], this.state);
      if (r === null || typeof r !== 'object' || !('logits' in r))
        throw new ValueError(`${this.o.owner}: step must return { logits, state }`);
      return { logits: r.logits, state: r.state };
    });
    const rows = readLogitsRows(this.o.owner, out.logits, tokens.length);
    if (out.logits instanceof Tensor && !tensorsIn(out.state).has(out.logits)) out.logits.dispose();
    this.replace(out.state);
    return rows;
  }

  prime(prompts: readonly (readonly number[])[]): Float64Array[] {
    let rows: Float64Array[] = [];
    for (let t = 0; t < prompts[0].length; t++) rows = this.next(prompts.map((p) => p[t]));
    return rows;
  }

  select(rows: readonly number[]): void {
    const picked = tidy(() =>
      this.o.selectState
        ? this.o.selectState(this.state, [...rows])
        : selectStateRows(this.o.owner, this.state, rows),
    );
    this.replace(picked);
  }

  dispose(): void {
    this.replace(this.o.initialState);
  }

  private replace(next: S): void {
    const old = this.state;
    this.state = next;
    if (this.o.disposeState) {
      if (old !== next && old !== this.o.initialState) this.o.disposeState(old);
    } else releaseState(old, next, this.o.initialState);
  }
}

/**
 * Drives a {@link TokenModel}. A stateful model is fed only the new tokens (its layers carry
 * the state); any other model re-reads each row's whole sequence at every step.
 */
export class ModelDecoder implements Decoder {
  private readonly stateful: boolean;
  private history: number[][] = [];

  constructor(
    private readonly owner: string,
    private readonly model: TokenModel,
    resetStates: boolean,
  ) {
    this.stateful = model.isStateful?.() === true || model.stateful === true;
    if (this.stateful && resetStates) model.resetStates?.();
  }

  /** Whether rows can be reordered (a stateful model's states live in its layers: they cannot). */
  get canSelect(): boolean {
    return !this.stateful;
  }

  next(tokens: readonly number[]): Float64Array[] {
    this.history = this.history.map((h, b) => [...h, tokens[b]]);
    return this.run(this.stateful ? tokens.map((t) => [t]) : this.history);
  }

  prime(prompts: readonly (readonly number[])[]): Float64Array[] {
    this.history = prompts.map((p) => [...p]);
    return this.run(this.history);
  }

  select(rows: readonly number[]): void {
    if (this.stateful)
      throw new ValueError(
        `${this.owner}: beam search cannot reorder the states a stateful model holds; use a model without stateful layers or a step function`,
      );
    this.history = rows.map((r) => [...this.history[r]]);
  }

  dispose(): void {
    this.history = [];
  }

  private run(rows: readonly (readonly number[])[]): Float64Array[] {
    const B = rows.length;
    const T = rows[0].length;
    const logits = tidy(() => {
      const out = this.model.apply(tensor(Int32Array.from(rows.flat()), [B, T], 'int32'));
      return Array.isArray(out) ? (out as readonly Tensor[])[0] : (out as Tensor);
    });
    try {
      if (logits.rank === 1)
        throw new ShapeError(
          `${this.owner}: the model must return logits [B, T, V] or [B, V], got ${formatShape(logits.shape)}`,
        );
      return readLogitsRows(this.owner, logits, B);
    } finally {
      logits.dispose();
    }
  }
}
