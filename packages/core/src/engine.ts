/**
 * The engine: one object, {@link ENGINE}, through which ops reach the backends. It composes the
 * backend registry (engine/registry.ts), tensor lifetimes (engine/lifetimes.ts), dispatch
 * checks (engine/dispatch.ts) and the gradient tape (engine/tape.ts); this file only wires
 * them together. It imports no op and no gradient: gradients/register.ts installs the table.
 */
import type { Backend, BackendFactory, KernelFunc, MemoryInfo } from './backend.js';
import { assertDType, checkKernelInputs } from './engine/dispatch.js';
import { TensorLifetimes } from './engine/lifetimes.js';
import { BackendRegistry } from './engine/registry.js';
import { GradientTapes } from './engine/tape.js';
import { BackendError } from './errors.js';
import type { GradFunc, GradientTable, TensorsOf } from './gradients/types.js';
import type { KernelAttrs, KernelInputs, KernelName, KernelOutputs } from './kernel_names.js';
import { setTensorOwner, Tensor, Variable } from './tensor.js';
import type { DataId, DType, Shape, TensorInfo, TypedArray } from './types.js';
import { sizeOf, typedArrayFor } from './types.js';

/** Memory held by the engine and its active backend. */
export interface EngineMemory {
  /** Live tensors (views count separately). */
  numTensors: number;
  /** Live storage blocks across all backends. */
  numDataIds: number;
  /** The active backend's own report. */
  backend: MemoryInfo;
}

/**
 * The engine: backend registry, kernel dispatch, tensor lifetime (reference-counted storage
 * and `tidy` scopes) and the gradient tape. One instance, {@link ENGINE}, serves the process.
 */
export class Engine {
  private readonly registry = new BackendRegistry();
  private readonly lifetimes = new TensorLifetimes();
  private readonly tapes = new GradientTapes({
    lifetimes: this.lifetimes,
    view: (x, shape) => this.view(x, shape),
    add: (a, b) => this.runKernel('Binary', { a, b }, { op: 'add', shape: a.shape }).y,
    filledLike: (x, value) => this.filled(x.shape, x.dtype, value, x.backend),
  });

  constructor() {
    setTensorOwner({
      disposeTensor: (t) => this.lifetimes.disposeTensor(t),
      readSync: (t) => t.backend.readSync(t.dataId),
      read: (t) => t.backend.read(t.dataId),
      reassign: (t, dataId) => this.lifetimes.reassign(t, dataId),
    });
  }

  // ---------------------------------------------------------------- registry

  /**
   * Registers a backend factory under `name`. The highest-priority backend becomes active
   * when none was chosen. Re-registering a name replaces its factory.
   */
  registerBackend(name: string, factory: BackendFactory, priority = 1): void {
    this.registry.register(name, factory, priority);
  }

  /** Names of registered backends, highest priority first. */
  listBackends(): string[] {
    return this.registry.list();
  }

  /** Registers (or overrides) one kernel implementation for one backend. */
  registerKernel<K extends KernelName>(
    kernelName: K,
    backendName: string,
    kernelFunc: KernelFunc<K, never>,
  ): void {
    this.registry.registerKernel(kernelName, backendName, kernelFunc);
  }

  /** Registers (or overrides) the gradient of a kernel. */
  registerGradient<K extends KernelName>(kernelName: K, gradFunc: GradFunc<K>): void {
    this.tapes.registerGradient(kernelName, gradFunc as unknown as GradFunc<never>);
  }

  /** Registers (or overrides) the gradient entry of every kernel at once. */
  registerGradients(table: GradientTable): void {
    this.tapes.registerGradients(table);
  }

  /** Initialises backend `name` if needed and makes it the active backend. */
  setBackend(name: string): Promise<Backend> {
    return this.registry.activate(name);
  }

  /** Initialises backend `name` without activating it. */
  initBackend(name: string): Promise<Backend> {
    return this.registry.init(name);
  }

  /** The active backend; picks the highest-priority registered one with a synchronous factory if none is active. */
  get backend(): Backend {
    return this.registry.current();
  }

  /** Disposes backend `name`'s instance and forgets its registration. */
  removeBackend(name: string): void {
    this.registry.remove(name);
  }

  /** The kernel `kernelName` of backend `backendName`, or undefined. */
  getKernel<K extends KernelName>(
    kernelName: K,
    backendName: string,
  ): KernelFunc<K, never> | undefined {
    return this.registry.getKernel(kernelName, backendName) as KernelFunc<K, never> | undefined;
  }

  // ---------------------------------------------------------------- tensors

  /** Wraps backend storage as a new tracked tensor. */
  makeTensor(dataId: DataId, shape: Shape, dtype: DType, backend: Backend = this.backend): Tensor {
    const t = new Tensor(this.lifetimes.nextId(), dataId, shape, dtype, backend);
    this.lifetimes.track(t);
    return t;
  }

  /** Uploads values into the active backend as a new tensor. */
  upload(values: TypedArray, shape: Shape, dtype: DType): Tensor {
    const backend = this.backend;
    assertDType(backend, dtype, 'tensor()');
    return this.makeTensor(backend.write(values, shape, dtype), shape, dtype, backend);
  }

  /**
   * A new tensor of `shape` with every element `value`, made by the backend's own
   * {@link Backend.fill} when it has one (no JavaScript array, no copy), else uploaded.
   */
  filled(shape: Shape, dtype: DType, value: number, backend: Backend = this.backend): Tensor {
    assertDType(backend, dtype, 'fill()');
    if (backend.fill)
      return this.makeTensor(backend.fill(shape, dtype, value), shape, dtype, backend);
    const values = typedArrayFor(dtype, sizeOf(shape));
    values.fill(value);
    return this.makeTensor(backend.write(values, shape, dtype), shape, dtype, backend);
  }

  /** Creates a variable holding `initial`'s value (storage is shared, not copied). */
  makeVariable(initial: Tensor, name: string, trainable: boolean): Variable {
    initial.assertAlive(`variable('${name}')`);
    const v = new Variable(
      this.lifetimes.nextId(),
      initial.dataId,
      initial.shape,
      initial.dtype,
      initial.backend,
      name,
      trainable,
    );
    this.lifetimes.adopt(v);
    return v;
  }

  /** A new tensor sharing `x`'s storage under another shape of the same size. */
  view(x: Tensor, shape: Shape): Tensor {
    const t = new Tensor(this.lifetimes.nextId(), x.dataId, shape, x.dtype, x.backend);
    this.lifetimes.track(t);
    this.tapes.recordView(x, t);
    return t;
  }

  /** Copies `x` into backend `backendName` (which must be initialised) as a new tensor. */
  transfer(x: Tensor, backendName: string): Tensor {
    x.assertAlive('transfer()');
    const target = this.registry.instance(backendName);
    if (!target)
      throw new BackendError(
        `transfer(): backend '${backendName}' is not initialised; await initBackend('${backendName}') first`,
      );
    if (target === x.backend) return this.view(x, x.shape);
    assertDType(target, x.dtype, 'transfer()');
    const values = x.backend.readSync(x.dataId);
    return this.makeTensor(target.write(values, x.shape, x.dtype), x.shape, x.dtype, target);
  }

  /** Counts of live tensors and storage, and the active backend's report. */
  memory(): EngineMemory {
    return { ...this.lifetimes.counts(), backend: this.backend.memory() };
  }

  // ---------------------------------------------------------------- scopes

  /**
   * Runs `fn` and disposes every tensor it created except those it returns (a tensor, or
   * arrays/objects of tensors) and those marked with {@link Engine.keep}.
   */
  tidy<T>(fn: () => T): T {
    return this.lifetimes.tidy(fn);
  }

  /** Opens a scope by hand (prefer {@link Engine.tidy}). */
  startScope(): void {
    this.lifetimes.startScope();
  }

  /** Closes the innermost scope, keeping the tensors found in `result`. */
  endScope(result: unknown): void {
    this.lifetimes.endScope(result);
  }

  /** Exempts `t` from disposal by enclosing scopes. */
  keep<T extends Tensor>(t: T): T {
    t.kept = true;
    return t;
  }

  // ---------------------------------------------------------------- kernels

  /**
   * Runs a kernel on the active backend: checks that every input is alive, on that backend
   * and of a supported dtype, wraps the outputs as tracked tensors and records the call for
   * gradients when a tape is open.
   */
  runKernel<K extends KernelName>(
    kernelName: K,
    inputs: TensorsOf<KernelInputs<K>>,
    attrs: KernelAttrs<K>,
  ): TensorsOf<KernelOutputs<K>> {
    const backend = this.backend;
    const inputRecord = inputs as Record<string, Tensor | Tensor[] | undefined>;
    checkKernelInputs(kernelName, inputRecord, backend);
    const kernel = this.getKernel(kernelName, backend.name);
    if (!kernel) throw new BackendError(`backend '${backend.name}' has no kernel '${kernelName}'`);
    const infos = (kernel as unknown as KernelFunc<K, Backend>)(
      inputs as unknown as KernelInputs<K>,
      attrs,
      backend,
    );
    const outputs: Record<string, Tensor | undefined> = {};
    for (const [name, info] of Object.entries(infos as Record<string, TensorInfo | undefined>)) {
      outputs[name] =
        info === undefined
          ? undefined
          : this.makeTensor(info.dataId, info.shape, info.dtype, backend);
    }
    if (this.tapes.isRecording()) this.tapes.recordKernel(kernelName, inputRecord, outputs, attrs);
    return outputs as TensorsOf<KernelOutputs<K>>;
  }

  // ---------------------------------------------------------------- gradients

  /** True while a gradient tape is recording kernel calls. */
  isRecording(): boolean {
    return this.tapes.isRecording();
  }

  /**
   * Runs `f`, recording every kernel call, then returns `f`'s result and the gradients of it
   * with respect to each of `xs` (zeros for one it does not depend on, whose index is listed in
   * `unused`). `f` must return a scalar unless `dy` (the gradient seed, shaped like the result)
   * is given. Every tensor `f` creates is disposed except the result; the gradients are new
   * tensors owned by the caller.
   */
  valueAndGrads(
    f: () => Tensor,
    xs: readonly Tensor[],
    dy?: Tensor,
  ): { value: Tensor; grads: Tensor[]; unused: number[] } {
    return this.tapes.valueAndGrads(f, xs, dy);
  }
}

/** The process-wide engine. */
export const ENGINE = new Engine();
