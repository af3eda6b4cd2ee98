/**
 * The backend registry: factories by name, their initialised instances, the active backend and
 * every kernel implementation by backend. The engine's first job, kept apart from tensors and
 * gradients.
 */
import type { Backend, BackendFactory, KernelFunc } from '../backend.js';
import { BackendError, RnnkitError } from '../errors.js';
import type { KernelName } from '../kernel_names.js';

interface Registration {
  factory: BackendFactory;
  priority: number;
}

/** Registered backends, their instances and their kernels. */
export class BackendRegistry {
  private readonly registrations = new Map<string, Registration>();
  private readonly instances = new Map<string, Backend>();
  private readonly kernels = new Map<string, KernelFunc<KernelName, never>>();
  private readonly pending = new Map<string, Promise<Backend>>();
  private active: Backend | undefined;

  /** Registers a backend factory under `name`; re-registering a name replaces its factory. */
  register(name: string, factory: BackendFactory, priority: number): void {
    this.registrations.set(name, { factory, priority });
  }

  /** Names of registered backends, highest priority first. */
  list(): string[] {
    return [...this.registrations.entries()]
      .sort((a, b) => b[1].priority - a[1].priority)
      .map(([name]) => name);
  }

  /** Registers (or overrides) one kernel implementation for one backend. */
  registerKernel(kernelName: KernelName, backendName: string, kernelFunc: unknown): void {
    this.kernels.set(`${backendName}/${kernelName}`, kernelFunc as KernelFunc<KernelName, never>);
  }

  /** The kernel `kernelName` of backend `backendName`, or undefined. */
  getKernel(kernelName: KernelName, backendName: string): unknown {
    return this.kernels.get(`${backendName}/${kernelName}`);
  }

  /** Initialises backend `name` if needed and makes it the active backend. */
  async activate(name: string): Promise<Backend> {
    const backend = await this.init(name);
    this.active = backend;
    return backend;
  }

  /** Initialises backend `name` without activating it. */
  async init(name: string): Promise<Backend> {
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

  /** The initialised instance of backend `name`, or undefined. */
  instance(name: string): Backend | undefined {
    return this.instances.get(name);
  }

  /** The active backend; picks the highest-priority registered one with a synchronous factory if none is active. */
  current(): Backend {
    if (this.active) return this.active;
    for (const name of this.list()) {
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
        : `no backend is active: call \`await setBackend(name)\` with one of: ${this.list().join(', ')}`,
    );
  }

  /** Disposes backend `name`'s instance and forgets its registration and kernels. */
  remove(name: string): void {
    const instance = this.instances.get(name);
    if (instance) {
      if (this.active === instance) this.active = undefined;
      instance.dispose?.();
      this.instances.delete(name);
    }
    this.registrations.delete(name);
    for (const key of [...this.kernels.keys()])
      if (key.startsWith(`${name}/`)) this.kernels.delete(key);
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

  private registration(name: string): Registration {
    const reg = this.registrations.get(name);
    if (!reg) {
      throw new BackendError(
        `unknown backend '${name}'; registered backends: ${this.list().join(', ') || '(none)'}`,
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
      if (!this.kernels.has(key)) this.kernels.set(key, fn as KernelFunc<KernelName, never>);
    }
    this.instances.set(name, backend);
    return backend;
  }
}
