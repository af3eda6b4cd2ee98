/**
 * `Tensor` and `Variable`: immutable handles to backend storage, with their read-back and lifetime
 * methods.
 */
import type { Backend } from './backend.js';
import { DisposedTensorError, DTypeError, formatShape, ShapeError } from './errors.js';
import type { DataId, DType, Shape, TensorInfo, TypedArray } from './types.js';
import { shapesEqual, sizeOf } from './types.js';

/** Nested JavaScript arrays of numbers, as `Tensor.array()` returns them. */
export type NestedArray = number | NestedArray[];

/** The engine operations a tensor needs; implemented by the engine, kept abstract here to avoid a cycle. */
export interface TensorOwner {
  disposeTensor(t: Tensor): void;
  readSync(t: Tensor): TypedArray;
  read(t: Tensor): Promise<TypedArray>;
  reassign(t: Tensor, dataId: DataId): void;
}

let owner: TensorOwner | undefined;

/** @internal Called once by the engine to connect tensors to it. */
export function setTensorOwner(o: TensorOwner): void {
  owner = o;
}

/**
 * An n-dimensional array whose storage lives in a backend. Tensors are immutable (a
 * {@link Variable} can be reassigned); ops return new tensors. Free storage with
 * {@link Tensor.dispose} or run code inside `tidy`.
 */
export class Tensor implements TensorInfo {
  /** Unique, increasing id (useful in error messages and leak hunts). */
  readonly id: number;
  /** The logical shape. */
  readonly shape: Shape;
  /** Element type. */
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** The backend that owns the storage. */
  readonly backend: Backend;
  /** @internal Storage handle in {@link Tensor.backend}. */
  dataId: DataId;
  /** @internal Set by dispose. */
  isDisposedInternal = false;
  /** @internal Number of live gradient tapes that still need this tensor. */
  tapePins = 0;
  /** @internal dispose() was asked for while a tape still needed the tensor. */
  disposePending = false;
  /** @internal Exempt from disposal by enclosing `tidy` scopes. */
  kept = false;

  /** @internal Tensors are made by ops and the engine, not by `new`. */
  constructor(id: number, dataId: DataId, shape: Shape, dtype: DType, backend: Backend) {
    this.id = id;
    this.dataId = dataId;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    this.backend = backend;
  }

  /** Number of axes. */
  get rank(): number {
    return this.shape.length;
  }

  /** Name of the backend that owns the storage. */
  get backendName(): string {
    return this.backend.name;
  }

  /** True once {@link Tensor.dispose} has been called. */
  get isDisposed(): boolean {
    return this.isDisposedInternal;
  }

  /** Throws {@link DisposedTensorError} if the tensor was disposed. */
  assertAlive(context = 'this tensor'): void {
    if (this.isDisposedInternal) {
      throw new DisposedTensorError(
        `${context}: tensor #${this.id} (shape ${formatShape(this.shape)}, ${this.dtype}) was used after dispose()`,
      );
    }
  }

  /** Frees the storage (once the last view of it is disposed). Idempotent. */
  dispose(): void {
    if (this.isDisposedInternal) return;
    engineOwner().disposeTensor(this);
  }

  /** Copies the values out of the backend, asynchronously. */
  async data(): Promise<TypedArray> {
    this.assertAlive('data()');
    return engineOwner().read(this);
  }

  /** Copies the values out of the backend, synchronously. */
  dataSync(): TypedArray {
    this.assertAlive('dataSync()');
    return engineOwner().readSync(this);
  }

  /** The values as nested JavaScript arrays (a number for a scalar). */
  arraySync(): NestedArray {
    return toNested(Array.from(this.dataSync()), this.shape);
  }

  /** The single value of a tensor with one element. */
  item(): number {
    if (this.size !== 1) {
      throw new ShapeError(
        `item(): tensor must have exactly one element, got shape ${formatShape(this.shape)}`,
      );
    }
    return this.dataSync()[0];
  }

  /** A short description: `Tensor#3 float32 [2, 3] on cpu`. */
  toString(): string {
    return `Tensor#${this.id} ${this.dtype} ${formatShape(this.shape)} on ${this.backend.name}`;
  }
}

/**
 * A tensor whose value can be replaced with {@link Variable.assign}: model parameters,
 * optimizer slots and recurrent states. Variables are never disposed by `tidy`.
 */
export class Variable extends Tensor {
  /** Human-readable name, e.g. `weight_ih_l0`. */
  readonly name: string;
  /** Whether optimizers update it. */
  trainable: boolean;

  /** @internal Made by `variable()`. */
  constructor(
    id: number,
    dataId: DataId,
    shape: Shape,
    dtype: DType,
    backend: Backend,
    name: string,
    trainable: boolean,
  ) {
    super(id, dataId, shape, dtype, backend);
    this.name = name;
    this.trainable = trainable;
    this.kept = true;
  }

  /** Replaces the value with `value`'s (same shape and dtype); `value` itself stays usable. */
  assign(value: Tensor): void {
    this.assertAlive(`${this.name}.assign()`);
    value.assertAlive(`${this.name}.assign(value)`);
    if (!shapesEqual(value.shape, this.shape)) {
      throw new ShapeError(
        `${this.name}.assign(): argument 'value' must have shape ${formatShape(this.shape)}, got ${formatShape(value.shape)}`,
      );
    }
    if (value.dtype !== this.dtype) {
      throw new DTypeError(
        `${this.name}.assign(): argument 'value' must be ${this.dtype}, got ${value.dtype}`,
      );
    }
    if (value.backend !== this.backend) {
      throw new DTypeError(
        `${this.name}.assign(): value lives on backend '${value.backend.name}', the variable on '${this.backend.name}'`,
      );
    }
    engineOwner().reassign(this, value.dataId);
  }
}

function engineOwner(): TensorOwner {
  if (!owner) throw new Error('rnnkit engine not initialised');
  return owner;
}

/** Turns flat values into nested arrays of `shape`. */
export function toNested(flat: number[], shape: Shape): NestedArray {
  if (shape.length === 0) return flat[0];
  const [first, ...rest] = shape;
  const step = sizeOf(rest);
  const out: NestedArray[] = [];
  for (let i = 0; i < first; i++) out.push(toNested(flat.slice(i * step, (i + 1) * step), rest));
  return out;
}
