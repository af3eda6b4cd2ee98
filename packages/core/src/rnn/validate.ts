/**
 * Argument checks of the recurrent ops, shared by the fused path and its reference.
 */
import { DTypeError, formatShape, ShapeError, ValueError } from '../errors.js';
import { GATES_PER_MODE, type RnnMode } from '../kernel_names.js';
import type { Tensor } from '../tensor.js';

/**
 * Arguments of one recurrent layer in one direction (or, with `bidirectional`, both) over a whole
 * batch-first sequence. The shapes below are those of one direction; with `bidirectional` every
 * weight and initial state gains a leading axis of 2 (forward direction, then reverse).
 */
export interface RnnSequenceArgs {
  /** Cell type. */
  mode: RnnMode;
  /** `[B, T, I]`. */
  x: Tensor;
  /** `[G*H, I]`. */
  wIh: Tensor;
  /** `[G*H, H]`. */
  wHh: Tensor;
  /** `[G*H]`. */
  bIh: Tensor;
  /** `[G*H]`. */
  bHh: Tensor;
  /** `[B, H]`. */
  h0: Tensor;
  /** `[B, H]`; required for LSTM, refused otherwise. */
  c0?: Tensor;
  /** Optional int32 `[B]` valid lengths in `[0, T]`. */
  lengths?: Tensor;
  /** Run from the last valid step backwards (with `bidirectional`: direction 0 does). */
  reverse?: boolean;
  /**
   * Run both directions of a bidirectional layer in one call (PyTorch's `bidirectional`):
   * direction 1 runs the other way than direction 0, each sequence within its own valid steps.
   * The weights and initial states are stacked per direction (`wIh [2, G*H, I]`, …,
   * `h0 [2, B, H]`), `y` is `[B, T, 2H]` (direction 0 in features `[0, H)`), `hN`/`cN`
   * `[2, B, H]`. The same as two single-direction calls, which a backend may run concurrently.
   */
  bidirectional?: boolean;
  /**
   * Checkpointed backpropagation through time (see {@link checkpointSegment}): `true` for
   * segments of ⌈√T⌉ steps, a positive integer for that segment length, `false`/absent for the
   * plain path, which keeps every step's activations for the backward pass.
   */
  checkpoint?: boolean | number;
}

/** Outputs of {@link RnnSequenceArgs}: the per-step hidden states and final states. */
export interface RnnSequenceResult {
  /** `[B, T, H]` (`[B, T, 2H]` when bidirectional), zero at padded steps. */
  y: Tensor;
  /** `[B, H]` (`[2, B, H]` when bidirectional). */
  hN: Tensor;
  /** As `hN`, LSTM only. */
  cN?: Tensor;
}

/**
 * Checks every argument's shape and dtype, naming the argument on failure; returns
 * `{B, T, I, H, G, D}` (D = 2 directions when `bidirectional`).
 */
export function validateRnnArgs(
  op: string,
  args: RnnSequenceArgs,
): { B: number; T: number; I: number; H: number; G: number; D: number } {
  const { mode, x, wIh, wHh, bIh, bHh, h0, c0, lengths } = args;
  const G = GATES_PER_MODE[mode];
  const bidirectional = args.bidirectional ?? false;
  if (typeof bidirectional !== 'boolean') {
    throw new ValueError(
      `${op}: argument 'bidirectional' must be a boolean, got ${String(bidirectional)}`,
    );
  }
  const D = bidirectional ? 2 : 1;
  // The leading direction axis of every stacked argument.
  const stack: number[] = bidirectional ? [2] : [];
  const perDirection = bidirectional ? ' (stacked per direction)' : '';
  if (G === undefined) {
    throw new ValueError(
      `${op}: argument 'mode' must be one of ${Object.keys(GATES_PER_MODE).join(', ')}, got ${String(mode)}`,
    );
  }
  if (x.rank !== 3)
    throw new ShapeError(
      `${op}: argument 'x' must have shape [batch, steps, features], got ${formatShape(x.shape)}`,
    );
  const [B, T, I] = x.shape;
  const rows = wHh.shape[D - 1];
  const H = wHh.shape[D];
  if (
    wHh.rank !== D + 1 ||
    (bidirectional && wHh.shape[0] !== 2) ||
    rows % G !== 0 ||
    H * G !== rows
  ) {
    throw new ShapeError(
      `${op}: argument 'wHh' must have shape [${bidirectional ? '2, ' : ''}${G}*H, H] for ${mode}${perDirection}, got ${formatShape(wHh.shape)}`,
    );
  }
  const expect = (name: string, t: Tensor, unstacked: number[]) => {
    const shape = [...stack, ...unstacked];
    if (t.rank !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new ShapeError(
        `${op}: argument '${name}' must have shape ${formatShape(shape)}${perDirection}, got ${formatShape(t.shape)}`,
      );
    }
    if (t.dtype !== x.dtype)
      throw new DTypeError(`${op}: argument '${name}' must be ${x.dtype} like 'x', got ${t.dtype}`);
  };
  if (x.dtype === 'int32')
    throw new DTypeError(`${op}: argument 'x' must be a float tensor, got int32`);
  expect('wIh', wIh, [G * H, I]);
  expect('wHh', wHh, [G * H, H]);
  expect('bIh', bIh, [G * H]);
  expect('bHh', bHh, [G * H]);
  expect('h0', h0, [B, H]);
  if (mode === 'LSTM') {
    if (!c0) throw new ValueError(`${op}: argument 'c0' is required for LSTM`);
    expect('c0', c0, [B, H]);
  } else if (c0) {
    throw new ValueError(`${op}: argument 'c0' is only for LSTM, got one for ${mode}`);
  }
  if (lengths) {
    if (lengths.dtype !== 'int32')
      throw new DTypeError(`${op}: argument 'lengths' must be int32, got ${lengths.dtype}`);
    if (lengths.rank !== 1 || lengths.shape[0] !== B) {
      throw new ShapeError(
        `${op}: argument 'lengths' must have shape [${B}], got ${formatShape(lengths.shape)}`,
      );
    }
    const values = lengths.dataSync();
    values.forEach((v, b) => {
      if (v < 0 || v > T)
        throw new ValueError(`${op}: lengths[${b}] is ${v}; expected a value in [0, ${T}]`);
    });
  }
  return { B, T, I, H, G, D };
}

/**
 * The segment length of checkpointed backpropagation through time for a sequence of `T` steps,
 * as the `checkpoint` kernel attribute takes it: 0 (plain path) for `false`/`undefined`,
 * ⌈√T⌉ for `true` (which balances the ⌈T/S⌉ kept boundary states against the S steps of
 * activations recomputed at a time, so both grow as √T), and a positive integer as given.
 * Throws a {@link ValueError} naming `option` for anything else.
 * @example
 * ```ts
 * check(checkpointSegment(10000, true), 100);
 * check(checkpointSegment(10000, 250), 250);
 * check(checkpointSegment(10000, false), 0);
 * ```
 */
export function checkpointSegment(
  T: number,
  checkpoint: boolean | number | undefined,
  op = 'rnnSequence',
  option = "argument 'checkpoint'",
): number {
  if (checkpoint === undefined || checkpoint === false) return 0;
  if (checkpoint === true) return Math.max(1, Math.ceil(Math.sqrt(T)));
  if (typeof checkpoint !== 'number' || !Number.isInteger(checkpoint) || checkpoint < 1) {
    throw new ValueError(
      `${op}: ${option} must be true, false or a positive integer segment length, got ${String(checkpoint)}`,
    );
  }
  return checkpoint;
}
