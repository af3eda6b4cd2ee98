import type { Backend, BackendFactory, KernelFunc, MemoryInfo } from './backend.js';
import { BackendError, DTypeError, RnnkitError, ValueError } from './errors.js';
import { registerBuiltinGradients } from './gradients/index.js';
import type { KernelAttrs, KernelInputs, KernelName, KernelOutputs } from './kernel_names.js';
import { setTensorOwner, Tensor, Variable } from './tensor.js';
import type { DataId, DType, Shape, TensorInfo, TypedArray } from './types.js';

/** Maps a kernel's `TensorInfo` slots to the `Tensor`s the op layer passes and receives. */
export type TensorsOf<T> = {
  [P in keyof T]: T[P] extends readonly TensorInfo[]
    ? Tensor[]
    : T[P] extends TensorInfo
      ? Tensor
      : T[P] extends TensorInfo | undefined
        ? Tensor | undefined
        : never;
};

/** What a gradient function receives besides the output gradients. */
export interface GradContext<K extends KernelName> {
  /** The forward inputs. */
  inputs: TensorsOf<KernelInputs<K>>;
  /** The forward outputs. */
  outputs: TensorsOf<KernelOutputs<K>>;
  /** The forward attributes. */
  attrs: KernelAttrs<K>;
}

/**
 * The gradient of one kernel: given the loss gradients of its outputs (undefined where an
 * output did not reach the loss), returns the loss gradients of its inputs (undefined for
 * inputs that take none, like indices). Written once, with ops, for every backend.
 */
export type GradFunc<K extends KernelName> = (
  dys: Partial<TensorsOf<KernelOutputs<K>>>,
  ctx: GradContext<K>,
) => Partial<TensorsOf<KernelInputs<K>>>;

interface TapeNode {
  kernelName: KernelName;
  inputs: Record<string, Tensor | Tensor[] | undefined>;
  outputs: Record<string, Tensor | undefined>;
  attrs: unknown;
}

interface Tape {
  nodes: TapeNode[];
  pinned: Tensor[];
}

interface Scope {
  tracked: Tensor[];
}

interface Registration {
  factory: BackendFactory;
  priority: number;
}

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
  private readonly registrations = new Map<string, Registration>();
  private readonly instances = new Map<string, Backend>();
  private readonly kernelRegistry = new Map<string, KernelFunc<KernelName, never>>();
  private readonly gradientRegistry = new Map<KernelName, GradFunc<never>>();
  private readonly storageRefs = new Map<DataId, number>();
  private readonly pending = new Map<string, Promise<Backend>>();
  private active: Backend | undefined;
  private nextId = 0;
  private liveTensors = 0;
  private readonly scopes: Scope[] = [];
  private readonly tapes: Tape[] = [];
  private tapePaused = 0;

  constructor() {
    setTensorOwner({
      disposeTensor: (t) => this.disposeTensor(t),
      readSync: (t) => t.backend.readSync(t.dataId),
      read: (t) => t.backend.read(t.dataId),
      reassign: (t, dataId) => this.reassign(t, dataId),
    });
    registerBuiltinGradients(this);
  }

  // ---------------------------------------------------------------- registry

  /**
   * Registers a backend factory under `name`. The highest-priority backend becomes active
   * when none was chosen. Re-registering a name replaces its factory.
   */
  registerBackend(name: string, factory: BackendFactory, priority = 1): void {
    this.registrations.set(name, { factory, priority });
  }

  /** Names of registered backends, highest priority first. */
  listBackends(): string[] {
    return [...this.registrations.entries()]
      .sort((a, b) => b[1].priority - a[1].priority)
      .map(([name]) => name);
  }

  /** Registers (or overrides) one kernel implementation for one backend. */
  registerKernel<K extends KernelName>(
    kernelName: K,
    backendName: string,
    kernelFunc: KernelFunc<K, never>,
  ): void {
    this.kernelRegistry.set(
      `${backendName}/${kernelName}`,
      kernelFunc as unknown as KernelFunc<KernelName, never>,
    );
  }

  /** Registers (or overrides) the gradient of a kernel. */
  registerGradient<K extends KernelName>(kernelName: K, gradFunc: GradFunc<K>): void {
    this.gradientRegistry.set(kernelName, gradFunc as unknown as GradFunc<never>);
  }

  /** Initialises backend `name` if needed and makes it the active backend. */
  async setBackend(name: string): Promise<Backend> {
    const backend = await this.initBackend(name);
    this.active = backend;
    return backend;
  }

  /** Initialises backend `name` without activating it. */
  async initBackend(name: string): Promise<Backend> {
    const existing = this.instances.get(name);
    if (existing) return existing;
    const inFlight = this.pending.get(name);
    if (inFlight) return inFlight;
    const factory = this.registration(name).factory;
    let made: Backend | Promise<Backend>;
    try {
      made = factory();
    } catch (e) {
      made = Promise.reject(e);
    }
    return this.adoptWhenReady(name, made);
  }

  private async adoptWhenReady(name: string, made: Backend | Promise<Backend>): Promise<Backend> {
    const promise = (async () => {
      try {
        return this.adopt(name, await made);
      } catch (e) {
        if (e instanceof RnnkitError) throw e;
        throw new BackendError(`backend '${name}' failed to initialise: ${(e as Error).message}`);
      } finally {
        this.pending.delete(name);
      }
    })();
    this.pending.set(name, promise);
    return promise;
  }

  /** The active backend; picks the highest-priority registered one with a synchronous factory if none is active. */
  get backend(): Backend {
    if (this.active) return this.active;
    for (const name of this.listBackends()) {
      const existing = this.instances.get(name);
      if (existing) return (this.active = existing);
      if (this.pending.has(name)) continue;
      let made: Backend | Promise<Backend>;
      try {
        made = this.registration(name).factory();
      } catch {
        continue;
      }
      if (!(made instanceof Promise)) return (this.active = this.adopt(name, made));
      // An async backend cannot be picked synchronously; keep its initialisation for setBackend.
      this.adoptWhenReady(name, made).catch(() => undefined);
    }
    throw new BackendError(
      this.registrations.size === 0
        ? 'no backend is registered: import a backend package (e.g. `import "@rnnkit/backend-cpu"`)'
        : `no backend is active: call \`await setBackend(name)\` with one of: ${this.listBackends().join(', ')}`,
    );
  }

  /** Disposes backend `name`'s instance and forgets its registration. */
  removeBackend(name: string): void {
    const instance = this.instances.get(name);
    if (instance) {
      if (this.active === instance) this.active = undefined;
      instance.dispose?.();
      this.instances.delete(name);
    }
    this.registrations.delete(name);
    for (const key of [...this.kernelRegistry.keys()])
      if (key.startsWith(`${name}/`)) this.kernelRegistry.delete(key);
  }

  private registration(name: string): Registration {
    const reg = this.registrations.get(name);
    if (!reg) {
      throw new BackendError(
        `unknown backend '${name}'; registered backends: ${this.listBackends().join(', ') || '(none)'}`,
      );
    }
    return reg;
  }

  private adopt(name: string, backend: Backend): Backend {
    if (backend.name !== name) {
      throw new BackendError(
        `backend registered as '${name}' reports its name as '${backend.name}'`,
      );
    }
    for (const [kernelName, fn] of Object.entries(backend.kernels)) {
      const key = `${name}/${kernelName}`;
      if (!this.kernelRegistry.has(key))
        this.kernelRegistry.set(key, fn as KernelFunc<KernelName, never>);
    }
    this.instances.set(name, backend);
    return backend;
  }

  /** The kernel `kernelName` of backend `backendName`, or undefined. */
  getKernel<K extends KernelName>(
    kernelName: K,
    backendName: string,
  ): KernelFunc<K, never> | undefined {
    return this.kernelRegistry.get(`${backendName}/${kernelName}`) as unknown as
      | KernelFunc<K, never>
      | undefined;
  }

  // ---------------------------------------------------------------- tensors

  /** Wraps backend storage as a new tracked tensor. */
  makeTensor(dataId: DataId, shape: Shape, dtype: DType, backend: Backend = this.backend): Tensor {
    const t = new Tensor(this.nextId++, dataId, shape, dtype, backend);
    this.track(t);
    return t;
  }

  /** Uploads values into the active backend as a new tensor. */
  upload(values: TypedArray, shape: Shape, dtype: DType): Tensor {
    const backend = this.backend;
    this.assertDType(backend, dtype, 'tensor()');
    return this.makeTensor(backend.write(values, shape, dtype), shape, dtype, backend);
  }

  /** Creates a variable holding `initial`'s value (storage is shared, not copied). */
  makeVariable(initial: Tensor, name: string, trainable: boolean): Variable {
    initial.assertAlive(`variable('${name}')`);
    const v = new Variable(
      this.nextId++,
      initial.dataId,
      initial.shape,
      initial.dtype,
      initial.backend,
      name,
      trainable,
    );
    this.incRef(v.dataId);
    this.liveTensors++;
    return v;
  }

  /** A new tensor sharing `x`'s storage under another shape of the same size. */
  view(x: Tensor, shape: Shape): Tensor {
    const t = new Tensor(this.nextId++, x.dataId, shape, x.dtype, x.backend);
    this.track(t);
    this.recordIdentity(x, t);
    return t;
  }

  private track(t: Tensor): void {
    this.incRef(t.dataId);
    this.liveTensors++;
    const scope = this.scopes[this.scopes.length - 1];
    if (scope) scope.tracked.push(t);
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

  private disposeTensor(t: Tensor): void {
    if (t.isDisposedInternal) return;
    if (t.tapePins > 0) {
      t.disposePending = true;
      return;
    }
    t.isDisposedInternal = true;
    this.liveTensors--;
    this.decRef(t.dataId, t.backend);
  }

  private reassign(t: Tensor, dataId: DataId): void {
    this.incRef(dataId);
    const old = t.dataId;
    t.dataId = dataId;
    this.decRef(old, t.backend);
  }

  /** Copies `x` into backend `backendName` (which must be initialised) as a new tensor. */
  transfer(x: Tensor, backendName: string): Tensor {
    x.assertAlive('transfer()');
    const target = this.instances.get(backendName);
    if (!target)
      throw new BackendError(
        `transfer(): backend '${backendName}' is not initialised; await initBackend('${backendName}') first`,
      );
    if (target === x.backend) return this.view(x, x.shape);
    this.assertDType(target, x.dtype, 'transfer()');
    const values = x.backend.readSync(x.dataId);
    return this.makeTensor(target.write(values, x.shape, x.dtype), x.shape, x.dtype, target);
  }

  /** Counts of live tensors and storage, and the active backend's report. */
  memory(): EngineMemory {
    return {
      numTensors: this.liveTensors,
      numDataIds: this.storageRefs.size,
      backend: this.backend.memory(),
    };
  }

  // ---------------------------------------------------------------- scopes

  /**
   * Runs `fn` and disposes every tensor it created except those it returns (a tensor, or
   * arrays/objects of tensors) and those marked with {@link Engine.keep}.
   */
  tidy<T>(fn: () => T): T {
    this.scopes.push({ tracked: [] });
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

  /** Opens a scope by hand (prefer {@link Engine.tidy}). */
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
    for (const [arg, value] of Object.entries(inputRecord)) {
      if (value === undefined) continue;
      for (const t of Array.isArray(value) ? value : [value])
        this.checkInput(kernelName, arg, t, backend);
    }
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
    if (this.isRecording()) this.record({ kernelName, inputs: inputRecord, outputs, attrs });
    return outputs as TensorsOf<KernelOutputs<K>>;
  }

  private checkInput(kernelName: string, arg: string, t: Tensor, backend: Backend): void {
    if (!(t instanceof Tensor)) {
      throw new ValueError(
        `${kernelName}: argument '${arg}' must be a Tensor, got ${describeValue(t)}`,
      );
    }
    t.assertAlive(`${kernelName}: argument '${arg}'`);
    if (t.backend !== backend) {
      throw new BackendError(
        `${kernelName}: argument '${arg}' (tensor #${t.id}) lives on backend '${t.backend.name}' but the active backend is '${backend.name}'; ` +
          `copy it with transfer(tensor, '${backend.name}')`,
      );
    }
    this.assertDType(backend, t.dtype, `${kernelName}: argument '${arg}'`);
  }

  private assertDType(backend: Backend, dtype: DType, context: string): void {
    if (!backend.dtypes.includes(dtype)) {
      throw new DTypeError(
        `${context}: backend '${backend.name}' does not support dtype '${dtype}' (it supports ${backend.dtypes.join(', ')})`,
      );
    }
  }

  // ---------------------------------------------------------------- gradients

  /** True while a gradient tape is recording kernel calls. */
  isRecording(): boolean {
    return this.tapes.length > 0 && this.tapePaused === 0;
  }

  private record(node: TapeNode): void {
    for (const tape of this.tapes) {
      tape.nodes.push(node);
      for (const value of [...Object.values(node.inputs), ...Object.values(node.outputs)]) {
        if (value === undefined) continue;
        for (const t of Array.isArray(value) ? value : [value]) {
          t.tapePins++;
          tape.pinned.push(t);
        }
      }
    }
  }

  /** A reshape is a view, not a kernel; its gradient is the upstream gradient reshaped back. */
  private recordIdentity(x: Tensor, y: Tensor): void {
    if (this.isRecording())
      this.record({
        kernelName: 'Reshape' as KernelName,
        inputs: { x },
        outputs: { y },
        attrs: {},
      });
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
    xs.forEach((x, i) => x.assertAlive(`valueAndGrads: xs[${i}]`));
    const tape: Tape = { nodes: [], pinned: [] };
    this.scopes.push({ tracked: [] });
    this.tapes.push(tape);
    let value: Tensor;
    let grads: Tensor[] = [];
    const unused: number[] = [];
    try {
      try {
        value = f();
      } finally {
        this.tapes.splice(this.tapes.indexOf(tape), 1);
      }
      if (!(value instanceof Tensor)) {
        throw new ValueError(
          `valueAndGrads: the function must return a Tensor, got ${describeValue(value)}`,
        );
      }
      if (dy === undefined && value.size !== 1) {
        throw new ValueError(
          `valueAndGrads: the function must return a scalar when no 'dy' is given, got shape [${value.shape.join(', ')}]`,
        );
      }
      grads = this.tidy(() => this.backprop(tape, value, xs, dy, unused));
    } finally {
      for (const t of tape.pinned) t.tapePins--;
      for (const t of tape.pinned) if (t.disposePending && t.tapePins === 0) this.disposeTensor(t);
      this.endScope([value!, ...grads]);
    }
    return { value, grads, unused };
  }

  private backprop(
    tape: Tape,
    y: Tensor,
    xs: readonly Tensor[],
    dy: Tensor | undefined,
    unused: number[],
  ): Tensor[] {
    const nodes = relevantNodes(tape.nodes, xs, y);
    const grads = new Map<Tensor, Tensor>();
    grads.set(y, dy ?? this.onesLike(y));
    this.tapePaused++;
    try {
      for (let n = nodes.length - 1; n >= 0; n--) {
        const node = nodes[n];
        const dys: Record<string, Tensor | undefined> = {};
        let any = false;
        for (const [name, out] of Object.entries(node.outputs)) {
          const g = out && grads.get(out);
          dys[name] = g;
          any ||= g !== undefined;
        }
        if (!any) continue;
        const gradFunc =
          node.kernelName === ('Reshape' as KernelName)
            ? reshapeGrad
            : this.gradientRegistry.get(node.kernelName);
        if (!gradFunc)
          throw new ValueError(`no gradient is registered for kernel '${node.kernelName}'`);
        const inputGrads = (gradFunc as unknown as GradFunc<KernelName>)(
          dys as never,
          {
            inputs: node.inputs,
            outputs: node.outputs,
            attrs: node.attrs,
          } as never,
        ) as Record<string, Tensor | Tensor[] | undefined>;
        for (const [name, input] of Object.entries(node.inputs)) {
          const g = inputGrads[name];
          if (input === undefined || g === undefined) continue;
          const pairs: [Tensor, Tensor][] = Array.isArray(input)
            ? input.map((t, i) => [t, (g as Tensor[])[i]])
            : [[input, g as Tensor]];
          for (const [t, gi] of pairs) {
            if (gi === undefined || t.dtype === 'int32') continue;
            const prev = grads.get(t);
            grads.set(t, prev ? this.add(prev, gi) : gi);
          }
        }
      }
    } finally {
      this.tapePaused--;
    }
    return xs.map((x, i) => {
      const g = grads.get(x);
      if (!g) {
        unused.push(i);
        return this.zerosLike(x);
      }
      return g.shape.length === x.shape.length && g.shape.every((d, i) => d === x.shape[i])
        ? g
        : this.view(g, x.shape);
    });
  }

  private onesLike(x: Tensor): Tensor {
    const values = x.dtype === 'float64' ? new Float64Array(x.size) : new Float32Array(x.size);
    values.fill(1);
    return this.makeTensor(x.backend.write(values, x.shape, x.dtype), x.shape, x.dtype, x.backend);
  }

  private zerosLike(x: Tensor): Tensor {
    const values = x.dtype === 'float64' ? new Float64Array(x.size) : new Float32Array(x.size);
    return this.makeTensor(x.backend.write(values, x.shape, x.dtype), x.shape, x.dtype, x.backend);
  }

  private add(a: Tensor, b: Tensor): Tensor {
    return this.runKernel('Binary', { a, b }, { op: 'add', shape: a.shape }).y;
  }
}

const reshapeGrad = ((dys: { y?: Tensor }, ctx: { inputs: { x: Tensor } }) => ({
  x: dys.y === undefined ? undefined : ENGINE.view(dys.y, ctx.inputs.x.shape),
})) as unknown as GradFunc<never>;

/** Nodes on some path from one of `xs` to `y`, in recording order. */
function relevantNodes(nodes: readonly TapeNode[], xs: readonly Tensor[], y: Tensor): TapeNode[] {
  const fromX = new Set<Tensor>(xs);
  const forward: boolean[] = nodes.map((node) => {
    const hit = Object.values(node.inputs).some((v) =>
      v === undefined ? false : Array.isArray(v) ? v.some((t) => fromX.has(t)) : fromX.has(v),
    );
    if (hit) for (const out of Object.values(node.outputs)) if (out) fromX.add(out);
    return hit;
  });
  const toY = new Set<Tensor>([y]);
  const keep: TapeNode[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (!forward[i]) continue;
    if (!Object.values(node.outputs).some((o) => o !== undefined && toY.has(o))) continue;
    keep.push(node);
    for (const v of Object.values(node.inputs)) {
      if (v === undefined) continue;
      for (const t of Array.isArray(v) ? v : [v]) toY.add(t);
    }
  }
  return keep.reverse();
}

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

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return `${typeof v} ${String(v)}`;
}

/** The process-wide engine. */
export const ENGINE = new Engine();
