/**
 * Tensor lifetimes: reference-counted storage shared by views, and the `tidy` scopes that
 * dispose what a function created. The engine's second job, kept apart from dispatch and
 * gradients.
 */
import type { Backend } from '../backend.js';
import { ValueError } from '../errors.js';
import { Tensor } from '../tensor.js';
import type { DataId } from '../types.js';

interface Scope {
  tracked: Tensor[];
}

/** Storage reference counts, live-tensor count and the stack of open scopes. */
export class TensorLifetimes {
  private readonly storageRefs = new Map<DataId, number>();
  private readonly scopes: Scope[] = [];
  private nextTensorId = 0;
  private liveTensors = 0;

  /** A fresh tensor id. */
  nextId(): number {
    return this.nextTensorId++;
  }

  /** Counts a new tensor and hands it to the innermost scope, which will dispose it. */
  track(t: Tensor): void {
    this.adopt(t);
    const scope = this.scopes[this.scopes.length - 1];
    if (scope) scope.tracked.push(t);
  }

  /** Counts a new tensor that no scope disposes (a variable). */
  adopt(t: Tensor): void {
    this.incRef(t.dataId);
    this.liveTensors++;
  }

  /** Disposes `t` now, or once the last gradient tape that pins it lets go. */
  disposeTensor(t: Tensor): void {
    if (t.isDisposedInternal) return;
    if (t.tapePins > 0) {
      t.disposePending = true;
      return;
    }
    t.isDisposedInternal = true;
    this.liveTensors--;
    this.decRef(t.dataId, t.backend);
  }

  /** Points `t` (a variable) at new storage, releasing the old. */
  reassign(t: Tensor, dataId: DataId): void {
    this.incRef(dataId);
    const old = t.dataId;
    t.dataId = dataId;
    this.decRef(old, t.backend);
  }

  /** Live tensors (views count separately) and live storage blocks. */
  counts(): { numTensors: number; numDataIds: number } {
    return { numTensors: this.liveTensors, numDataIds: this.storageRefs.size };
  }

  /** See `Engine.tidy`. */
  tidy<T>(fn: () => T): T {
    this.startScope();
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.endScope(undefined);
      throw e;
    }
    if (result instanceof Promise) {
      this.endScope(undefined);
      throw new ValueError('tidy(): the function must be synchronous; it returned a Promise');
    }
    this.endScope(result);
    return result;
  }

  /** Opens a scope. */
  startScope(): void {
    this.scopes.push({ tracked: [] });
  }

  /** Closes the innermost scope, keeping the tensors found in `result`. */
  endScope(result: unknown): void {
    const scope = this.scopes.pop();
    if (!scope) throw new ValueError('endScope(): no scope is open');
    const keep = new Set<Tensor>();
    collectTensors(result, keep);
    const parent = this.scopes[this.scopes.length - 1];
    for (const t of scope.tracked) {
      if (t.isDisposedInternal) continue;
      if (keep.has(t) || t.kept) {
        if (parent && !t.kept) parent.tracked.push(t);
        continue;
      }
      this.disposeTensor(t);
    }
  }

  private incRef(dataId: DataId): void {
    this.storageRefs.set(dataId, (this.storageRefs.get(dataId) ?? 0) + 1);
  }

  private decRef(dataId: DataId, backend: Backend): void {
    const refs = (this.storageRefs.get(dataId) ?? 0) - 1;
    if (refs > 0) {
      this.storageRefs.set(dataId, refs);
      return;
    }
    this.storageRefs.delete(dataId);
    backend.disposeData(dataId);
  }
}

/** Adds every tensor found in `value` (a tensor, or arrays, maps, objects of them) to `into`. */
function collectTensors(value: unknown, into: Set<Tensor>, depth = 0): void {
  if (value instanceof Tensor) {
    into.add(value);
    return;
  }
  if (depth > 4 || value === null || typeof value !== 'object') return;
  const entries = Array.isArray(value)
    ? value
    : value instanceof Map
      ? [...value.values()]
      : Object.values(value);
  for (const v of entries) collectTensors(v, into, depth + 1);
}
