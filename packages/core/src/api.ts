/**
 * The public functions over the engine: registering, choosing and listing backends, kernels and
 * gradients, and tensor lifetimes (`tidy`, `keep`, `dispose`, `memory`, `transfer`).
 */
import type { Backend, BackendFactory, KernelFunc } from './backend.js';
import { ENGINE, type EngineMemory } from './engine.js';
import type { GradFunc } from './gradients/types.js';
import type { KernelName } from './kernel_names.js';
import { Tensor } from './tensor.js';

/** Registers a backend under `name`; higher `priority` wins when none was chosen explicitly. */
export function registerBackend(name: string, factory: BackendFactory, priority = 1): void {
  ENGINE.registerBackend(name, factory, priority);
}

/**
 * Makes `name` the active backend (initialising it on first use). Tensors already made stay on
 * their own backend; using them with another backend's tensors is a {@link BackendError}.
 * @example
 * ```ts
 * import '@rnnkit/backend-cpu';
 * await setBackend('cpu');
 * check(getBackend().name, 'cpu');
 * check(tensor([1, 2]).backendName, 'cpu');
 * ```
 */
export async function setBackend(name: string): Promise<void> {
  await ENGINE.setBackend(name);
}

/** Initialises a backend without making it active (e.g. before {@link transfer}). */
export async function initBackend(name: string): Promise<void> {
  await ENGINE.initBackend(name);
}

/** The active backend. */
export function getBackend(): Backend {
  return ENGINE.backend;
}

/** Names of registered backends, highest priority first. */
export function listBackends(): string[] {
  return ENGINE.listBackends();
}

/** Disposes and unregisters a backend. */
export function removeBackend(name: string): void {
  ENGINE.removeBackend(name);
}

/** Registers (or overrides) one kernel for one backend. */
export function registerKernel<K extends KernelName>(
  kernelName: K,
  backendName: string,
  kernelFunc: KernelFunc<K, never>,
): void {
  ENGINE.registerKernel(kernelName, backendName, kernelFunc);
}

/** Registers (or overrides) the gradient of a kernel, for every backend at once. */
export function registerGradient<K extends KernelName>(kernelName: K, gradFunc: GradFunc<K>): void {
  ENGINE.registerGradient(kernelName, gradFunc);
}

/**
 * Runs `fn` and disposes every tensor it created except what it returns.
 * @example
 * ```ts
 * const x = tensor([1, 2, 3]);
 * const before = memory().numTensors;
 * const y = tidy(() => add(mul(x, 2), 1)); // the intermediate x*2 is freed
 * check(y, [3, 5, 7]);
 * check(memory().numTensors, before + 1); // only y is left
 * ```
 */
export function tidy<T>(fn: () => T): T {
  return ENGINE.tidy(fn);
}

/** Exempts a tensor from disposal by enclosing {@link tidy} scopes. */
export function keep<T extends Tensor>(t: T): T {
  return ENGINE.keep(t);
}

/** Disposes every tensor found in `value` (a tensor, or arrays/objects of tensors). */
export function dispose(value: unknown): void {
  if (value instanceof Tensor) value.dispose();
  else if (Array.isArray(value)) value.forEach(dispose);
  else if (value !== null && typeof value === 'object') Object.values(value).forEach(dispose);
}

/** Live tensor and storage counts: a training step that leaks shows up here. */
export function memory(): EngineMemory {
  return ENGINE.memory();
}

/** Copies a tensor to another (initialised) backend. */
export function transfer(x: Tensor, backendName: string): Tensor {
  return ENGINE.transfer(x, backendName);
}
