/**
 * The error classes rnnkit throws on purpose, all under `RnnkitError`.
 */
import type { Shape } from './types.js';

/** Base class of every error rnnkit throws on purpose; `instanceof RnnkitError` catches them all. */
export class RnnkitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tensor argument has the wrong shape. */
export class ShapeError extends RnnkitError {}

/** A tensor argument has the wrong dtype, or a backend does not support a dtype. */
export class DTypeError extends RnnkitError {}

/** A backend is unknown, failed to initialise, or tensors from two backends were mixed. */
export class BackendError extends RnnkitError {}

/** A tensor was used after `dispose()`. */
export class DisposedTensorError extends RnnkitError {}

/** An argument has an invalid value (a negative size, an unknown option, …). */
export class ValueError extends RnnkitError {}

/** A saved model, checkpoint or weights file is corrupt, truncated, foreign or of another version. */
export class FormatError extends RnnkitError {}

/** A file or URL to load from does not exist (the message names it). */
export class NotFoundError extends RnnkitError {}

/**
 * A backend cannot allocate the memory an operation needs. The message says what to do; the
 * fields give the numbers, in bytes. The backend stays usable: free tensors, or run a smaller
 * piece of work, and carry on.
 */
export class OutOfMemoryError extends RnnkitError {
  constructor(
    message: string,
    /** Bytes the failed allocation asked for. */
    readonly requested: number,
    /** Bytes still obtainable when it failed (free blocks plus room to grow). */
    readonly available: number,
    /** The most memory the backend can ever hold. */
    readonly ceiling: number,
  ) {
    super(message);
  }
}

/** Renders a shape as `[2, 3]`, the form every message uses. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Throws a {@link ShapeError} naming the operation, the argument, and the expected and actual
 * shapes.
 */
export function shapeMismatch(op: string, arg: string, expected: string, actual: Shape): never {
  throw new ShapeError(
    `${op}: argument '${arg}' must have shape ${expected}, got ${formatShape(actual)}`,
  );
}

/** Throws a {@link ValueError} unless `condition` holds. */
export function assertValue(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new ValueError(message());
}

/** Throws a {@link ShapeError} unless `condition` holds. */
export function assertShape(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new ShapeError(message());
}
